package dev.concat.activities.loudness;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The format of the WAV stream FFmpeg writes to a pipe, read from its header up to the start of the
 * samples: FFmpeg states there the rate and channels it actually decoded, which spares a probe. On
 * a pipe FFmpeg cannot fill in the sizes, so the samples are read to the end of the stream.
 *
 * @param sampleRate sample frames per second
 * @param channels samples per frame
 */
record PcmStreamFormat(int sampleRate, int channels) {
  private static final int CHUNK_HEADER = 8;

  /** In {@code fmt }: format tag (2 bytes), channels (2), sample rate (4). */
  private static final int FORMAT_FIELDS = 8;

  /** Reads the header from {@code stream}, leaving it at the first sample. */
  static PcmStreamFormat read(InputStream stream) throws IOException {
    var in = new DataInputStream(stream);
    ByteBuffer riff = bytes(in, 12);
    if (!id(riff, 0).equals("RIFF") || !id(riff, 8).equals("WAVE")) {
      throw new IOException("FFmpeg's output is not a RIFF/WAVE stream");
    }
    PcmStreamFormat format = null;
    while (true) {
      ByteBuffer header = bytes(in, CHUNK_HEADER);
      String id = id(header, 0);
      long size = Integer.toUnsignedLong(header.getInt(4));
      if (id.equals("data")) {
        if (format == null) {
          throw new IOException("FFmpeg's WAV stream has no 'fmt ' chunk before its samples");
        }
        return format;
      }
      if (id.equals("fmt ")) {
        ByteBuffer fields = bytes(in, FORMAT_FIELDS);
        format = new PcmStreamFormat(fields.getInt(4), Short.toUnsignedInt(fields.getShort(2)));
        size -= FORMAT_FIELDS;
      }
      // Chunks are padded to an even length; the pad byte is not counted in the size.
      in.skipNBytes(size + (size & 1));
    }
  }

  private static ByteBuffer bytes(DataInputStream in, int length) throws IOException {
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String id(ByteBuffer buffer, int offset) {
    return new String(buffer.array(), offset, 4, StandardCharsets.US_ASCII);
  }
}
