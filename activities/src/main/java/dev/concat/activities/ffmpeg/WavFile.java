package dev.concat.activities.ffmpeg;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the format and length of a PCM WAV file from its RIFF chunks, without decoding it. Reads
 * RF64 too (EBU Tech 3306): a WAV past 4 GiB, whose 64-bit sizes are in its {@code ds64} chunk.
 */
public final class WavFile {
  private static final int RIFF_HEADER = 12;
  private static final int CHUNK_HEADER = 8;

  /** In {@code fmt }: format tag, channels, sample rate, byte rate, then block align. */
  private static final int CHANNELS_OFFSET = 2;

  private static final int SAMPLE_RATE_OFFSET = 4;
  private static final int BLOCK_ALIGN_OFFSET = 12;

  /** In {@code ds64}: the RIFF size, then the data chunk's size, each 64 bits. */
  private static final int DS64_DATA_SIZE_OFFSET = 8;

  /**
   * A writer on a pipe cannot seek back to fill in sizes, and FFmpeg leaves this in place until it
   * ends; an RF64 file keeps it in its 32-bit fields and its sizes in {@code ds64}.
   */
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

  /**
   * @param sampleFrames samples per channel in the {@code data} chunk
   * @param dataOffset where the {@code data} chunk's samples start in the file
   * @param blockAlign bytes per sample frame (all channels)
   */
  public record Format(
      int sampleRate, int channels, long sampleFrames, long dataOffset, int blockAlign) {}

  /** Sample frames (samples per channel) in the {@code data} chunk. */
  public static long sampleFrames(Path wav) throws IOException {
    return format(wav).sampleFrames();
  }

  public static Format format(Path wav) throws IOException {
    try (FileChannel channel = FileChannel.open(wav, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      ByteBuffer riff = read(channel, 0, RIFF_HEADER, wav);
      boolean rf64 = id(riff, 0).equals("RF64");
      if (!(rf64 || id(riff, 0).equals("RIFF")) || !id(riff, 8).equals("WAVE")) {
        throw new IOException(wav + " is not a RIFF/WAVE or RF64 file");
      }
      int blockAlign = 0;
      int channels = 0;
      int sampleRate = 0;
      long dataBytes = -1;
      long ds64DataBytes = -1;
      long dataOffset = -1;
      long position = RIFF_HEADER;
      while (position + CHUNK_HEADER <= fileSize && (blockAlign == 0 || dataBytes < 0)) {
        ByteBuffer header = read(channel, position, CHUNK_HEADER, wav);
        String id = id(header, 0);
        long size = Integer.toUnsignedLong(header.getInt(4));
        long body = position + CHUNK_HEADER;
        if (rf64 && id.equals("ds64")) {
          ds64DataBytes =
              read(channel, body, DS64_DATA_SIZE_OFFSET + 8, wav).getLong(DS64_DATA_SIZE_OFFSET);
        } else if (id.equals("fmt ")) {
          ByteBuffer format = read(channel, body, BLOCK_ALIGN_OFFSET + 2, wav);
          channels = Short.toUnsignedInt(format.getShort(CHANNELS_OFFSET));
          sampleRate = format.getInt(SAMPLE_RATE_OFFSET);
          blockAlign = Short.toUnsignedInt(format.getShort(BLOCK_ALIGN_OFFSET));
        } else if (id.equals("data")) {
          dataOffset = body;
          long available = fileSize - body;
          if (size == UNKNOWN_SIZE && ds64DataBytes >= 0) {
            size = ds64DataBytes;
          }
          if (size == 0 || size == UNKNOWN_SIZE || size > available) {
            // The size was never filled in (or the file was cut short): the audio runs to the end.
            dataBytes = available;
            break;
          }
          dataBytes = size;
        }
        // Chunks are padded to an even length; the pad byte is not counted in the size.
        position = body + size + (size & 1);
      }
      if (blockAlign == 0 || dataBytes < 0) {
        String missing = blockAlign == 0 ? "'fmt ' chunk with a block align" : "data chunk";
        throw new IOException(wav + " has no " + missing);
      }
      return new Format(sampleRate, channels, dataBytes / blockAlign, dataOffset, blockAlign);
    }
  }

  private static ByteBuffer read(FileChannel channel, long position, int length, Path wav)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException(
            wav + " ends inside its WAV header at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  private static String id(ByteBuffer buffer, int offset) {
    byte[] id = new byte[4];
    buffer.get(offset, id);
    return new String(id, StandardCharsets.US_ASCII);
  }

  private WavFile() {}
}
