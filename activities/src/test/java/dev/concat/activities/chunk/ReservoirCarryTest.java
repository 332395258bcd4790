package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Hand-made MPEG-1 layer III frames (44.1 kHz mono, 32 kb/s: 104 bytes, 83 of them main data area).
 */
class ReservoirCarryTest {
  private static final int FRAME = 104;
  private static final int AREA_START = 4 + 17;
  private static final int AREA = FRAME - AREA_START;

  @Test
  void carriesBorrowedBytesIntoThePreviousTailAcrossFrameBoundaries() {
    // The previous chunk's last frame uses 10 bytes starting 40 back: 113 bytes after it are free.
    byte[] previous = stream(frame(0, 50, 1), frame(40, 10, 2));
    // The next chunk's first kept frame (index 2) borrows 90 bytes: more than one frame's area.
    byte[] next = stream(frame(0, 20, 3), frame(0, 20, 4), frame(90, 20, 5));
    byte[] borrowed = lastAreaBytes(next, 2, 90);

    assertTrue(ReservoirCarry.carry(Mp3Frames.of(previous), 2, Mp3Frames.of(next), 2));

    assertArrayEquals(
        borrowed,
        lastAreaBytes(previous, 2, 90),
        "the decoder finds the same bytes before the seam");
  }

  @Test
  void refusesWhenThePreviousTailIsTooShortAndChangesNothing() {
    byte[] previous = stream(frame(0, 50, 1), frame(0, 80, 2));
    byte[] before = previous.clone();
    byte[] next = stream(frame(0, 20, 3), frame(0, 20, 4), frame(10, 20, 5));

    assertFalse(
        ReservoirCarry.carry(Mp3Frames.of(previous), 2, Mp3Frames.of(next), 2),
        "3 bytes free, 10 needed");
    assertArrayEquals(before, previous);
  }

  @Test
  void aFrameThatBorrowsNothingNeedsNothing() {
    byte[] previous = stream(frame(0, 83, 1));
    byte[] before = previous.clone();
    assertTrue(
        ReservoirCarry.carry(Mp3Frames.of(previous), 1, Mp3Frames.of(stream(frame(0, 20, 3))), 0));
    assertArrayEquals(before, previous);
  }

  /** The {@code count} main data area bytes before frame {@code before}, in stream order. */
  private static byte[] lastAreaBytes(byte[] stream, int before, int count) {
    var area = new ByteArrayOutputStream();
    for (int frame = 0; frame < before; frame++) {
      area.write(stream, frame * FRAME + AREA_START, AREA);
    }
    byte[] all = area.toByteArray();
    return Arrays.copyOfRange(all, all.length - count, all.length);
  }

  private static byte[] stream(byte[]... frames) {
    var out = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  /**
   * A frame whose main data starts {@code begin} bytes back and runs {@code length} bytes; area
   * bytes numbered from {@code seed}.
   */
  private static byte[] frame(int begin, int length, int seed) {
    byte[] frame = new byte[FRAME];
    frame[0] = (byte) 0xFF;
    frame[1] = (byte) 0xFB; // MPEG-1, layer III, no CRC
    frame[2] = 0x10; // 32 kb/s, 44.1 kHz, no padding
    frame[3] = (byte) 0xC0; // mono
    setBits(frame, 4 * 8, 9, begin);
    // Granule 0's part2_3_length; granule 1's stays 0.
    setBits(frame, 4 * 8 + 9 + 5 + 4, 12, length * 8);
    for (int i = AREA_START; i < FRAME; i++) {
      frame[i] = (byte) (seed * 31 + i);
    }
    return frame;
  }

  private static void setBits(byte[] data, int bitOffset, int count, int value) {
    for (int i = 0; i < count; i++) {
      int bit = value >>> (count - 1 - i) & 1;
      int at = bitOffset + i;
      data[at / 8] = (byte) (data[at / 8] & ~(0x80 >>> at % 8) | bit << (7 - at % 8));
    }
  }
}
