package dev.concat.activities.ffmpeg;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes digital silence as 16-bit PCM WAV: the gap between segments, exact to the sample. */
final class SilenceWav {
  private static final int HEADER_BYTES = 44;

  static void write(Path file, int sampleRate, int channels, long frames) throws IOException {
    int blockAlign = channels * 2;
    long dataBytes = frames * blockAlign;
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header
        .put("RIFF".getBytes(US_ASCII))
        .putInt((int) (36 + dataBytes))
        .put("WAVE".getBytes(US_ASCII))
        .put("fmt ".getBytes(US_ASCII))
        .putInt(16)
        .putShort((short) 1)
        .putShort((short) channels)
        .putInt(sampleRate)
        .putInt(sampleRate * blockAlign)
        .putShort((short) blockAlign)
        .putShort((short) 16)
        .put("data".getBytes(US_ASCII))
        .putInt((int) dataBytes);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      byte[] zeros = new byte[64 * 1024];
      for (long left = dataBytes; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
  }

  private SilenceWav() {}
}
