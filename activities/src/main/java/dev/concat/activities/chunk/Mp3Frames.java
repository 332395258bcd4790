package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file of raw MPEG layer III frames (no ID3 tag, no Info frame: what one chunk's encoder writes)
 * split at its frame headers. A stream that changes sample rate or channel mode, or ends inside a
 * frame, is refused: the join could not be one stream.
 */
public final class Mp3Frames {
  private final byte[] data;
  private final int[] starts;
  private final Mp3FrameHeader first;

  private Mp3Frames(byte[] data, int[] starts, Mp3FrameHeader first) {
    this.data = data;
    this.starts = starts;
    this.first = first;
  }

  public static Mp3Frames read(Path file) throws IOException {
    try {
      return of(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is not a stream of MP3 frames: " + e.getMessage(), e);
    }
  }

  /** Splits {@code data} itself, not a copy: {@link ReservoirCarry} changes frames in place. */
  public static Mp3Frames of(byte[] data) {
    if (data.length == 0) {
      throw new IllegalArgumentException("no frames");
    }
    Mp3FrameHeader first = Mp3FrameHeader.parse(data, 0);
    int[] starts = new int[data.length / first.frameLength(first.bitRates()[0]) + 2];
    int count = 0;
    int position = 0;
    while (position < data.length) {
      Mp3FrameHeader header = Mp3FrameHeader.parse(data, position);
      if (header.sampleRate() != first.sampleRate() || header.mono() != first.mono()) {
        throw new IllegalArgumentException(
            "frame "
                + count
                + " at byte "
                + position
                + " changes the format from "
                + first
                + " to "
                + header);
      }
      starts[count++] = position;
      position += header.frameLength();
    }
    if (position != data.length) {
      throw new IllegalArgumentException(
          "the last frame runs " + (position - data.length) + " bytes past the end");
    }
    starts[count] = position;
    return new Mp3Frames(data, Arrays.copyOf(starts, count + 1), first);
  }

  public int count() {
    return starts.length - 1;
  }

  public Mp3FrameHeader firstHeader() {
    return first;
  }

  /** Byte offset of {@code frame} in the file; {@code count()} gives the file's length. */
  public int start(int frame) {
    return starts[frame];
  }

  /** Where {@code frame}'s main data area (after header, CRC and side information) starts. */
  int mainDataAreaStart(int frame) {
    Mp3FrameHeader header = Mp3FrameHeader.parse(data, starts[frame]);
    return starts[frame]
        + Mp3FrameHeader.LENGTH
        + (header.crcProtected() ? 2 : 0)
        + header.sideInfoLength();
  }

  MainData mainData(int frame) {
    return MainData.of(data, starts[frame], Mp3FrameHeader.parse(data, starts[frame]));
  }

  byte get(int offset) {
    return data[offset];
  }

  void set(int offset, byte value) {
    data[offset] = value;
  }

  /** The bytes of frames [from, to), read-only. */
  public ByteBuffer frames(int from, int to) {
    return ByteBuffer.wrap(data, starts[from], starts[to] - starts[from])
        .slice()
        .asReadOnlyBuffer();
  }
}
