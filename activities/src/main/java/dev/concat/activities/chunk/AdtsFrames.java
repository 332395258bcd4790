package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file of ADTS frames (what one AAC chunk's encoder writes) split at its headers. A stream that
 * changes its profile, rate or channels, holds several raw blocks in a frame, or ends inside a
 * frame is refused: the join could not be one stream of 1024-sample frames.
 */
final class AdtsFrames {
  private static final int HEADER = 7;

  private final byte[] data;
  private final int[] starts;

  private AdtsFrames(byte[] data, int[] starts) {
    this.data = data;
    this.starts = starts;
  }

  static AdtsFrames read(Path file) throws IOException {
    try {
      return of(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a stream of ADTS frames: " + e.getMessage(), e);
    }
  }

  static AdtsFrames of(byte[] data) {
    if (data.length < HEADER) {
      throw new IllegalArgumentException("no frames");
    }
    int[] starts = new int[data.length / HEADER + 1];
    int count = 0;
    int position = 0;
    int format = format(data, 0);
    while (position < data.length) {
      if (position + HEADER > data.length) {
        throw new IllegalArgumentException("a header cut off at byte " + position);
      }
      if ((data[position] & 0xFF) != 0xFF || (data[position + 1] & 0xF6) != 0xF0) {
        throw new IllegalArgumentException("no ADTS sync word at byte " + position);
      }
      if (format(data, position) != format) {
        throw new IllegalArgumentException(
            "frame " + count + " at byte " + position + " changes the stream's format");
      }
      if ((data[position + 6] & 0x03) != 0) {
        throw new IllegalArgumentException("frame " + count + " holds more than one raw block");
      }
      int length =
          ((data[position + 3] & 0x03) << 11)
              | ((data[position + 4] & 0xFF) << 3)
              | ((data[position + 5] & 0xFF) >>> 5);
      if (length < HEADER) {
        throw new IllegalArgumentException("frame " + count + " is " + length + " bytes long");
      }
      starts[count++] = position;
      position += length;
    }
    if (position != data.length) {
      throw new IllegalArgumentException(
          "the last frame runs " + (position - data.length) + " bytes past the end");
    }
    starts[count] = position;
    return new AdtsFrames(data, Arrays.copyOf(starts, count + 1));
  }

  /** Profile, sampling frequency index and channel configuration, as the header packs them. */
  private static int format(byte[] data, int position) {
    return ((data[position + 2] & 0xFD) << 8) | (data[position + 3] & 0xC0);
  }

  int count() {
    return starts.length - 1;
  }

  /** The bytes of frames [from, to), read-only. */
  ByteBuffer frames(int from, int to) {
    return ByteBuffer.wrap(data, starts[from], starts[to] - starts[from])
        .slice()
        .asReadOnlyBuffer();
  }
}
