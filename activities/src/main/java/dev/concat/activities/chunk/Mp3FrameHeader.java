package dev.concat.activities.chunk;

import java.util.Arrays;

/**
 * The four header bytes of an MPEG audio layer III frame: enough to know where the next frame
 * starts and which Info frame fits the stream.
 *
 * @param bits the header as a big-endian int
 * @param mpeg1 MPEG-1 (32-48 kHz); otherwise MPEG-2 or 2.5, whose frames hold half the samples
 * @param bitRateKbps the frame's bit rate
 * @param sampleRate samples per second
 * @param padded whether the frame carries one extra byte
 * @param mono single channel mode; decides the side information's size
 */
public record Mp3FrameHeader(
    int bits, boolean mpeg1, int bitRateKbps, int sampleRate, boolean padded, boolean mono) {
  public static final int LENGTH = 4;
  private static final int[] MPEG1_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MPEG2_KBPS = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };
  private static final int[] MPEG1_RATES = {44_100, 48_000, 32_000};
  private static final int LAYER_III = 1;
  private static final int VERSION_1 = 3;
  private static final int VERSION_2 = 2;
  private static final int VERSION_2_5 = 0;
  private static final int CHANNEL_MODE_MONO = 3;

  /** Parses the header at {@code offset}, or throws naming what is wrong with it. */
  public static Mp3FrameHeader parse(byte[] data, int offset) {
    if (offset + LENGTH > data.length) {
      throw new IllegalArgumentException(
          "a frame header at byte " + offset + " runs past the end (" + data.length + " bytes)");
    }
    int bits =
        (data[offset] & 0xFF) << 24
            | (data[offset + 1] & 0xFF) << 16
            | (data[offset + 2] & 0xFF) << 8
            | data[offset + 3] & 0xFF;
    if ((bits >>> 21) != 0x7FF) {
      throw new IllegalArgumentException(
          String.format("no frame sync at byte %d: %08x", offset, bits));
    }
    int version = bits >>> 19 & 3;
    int layer = bits >>> 17 & 3;
    int bitRateIndex = bits >>> 12 & 0xF;
    int rateIndex = bits >>> 10 & 3;
    if (version == 1
        || layer != LAYER_III
        || bitRateIndex == 0
        || bitRateIndex == 0xF
        || rateIndex == 3) {
      throw new IllegalArgumentException(
          String.format(
              "not a layer III frame with a fixed bit rate at byte %d: %08x", offset, bits));
    }
    boolean mpeg1 = version == VERSION_1;
    int sampleRate =
        MPEG1_RATES[rateIndex]
            / switch (version) {
              case VERSION_2 -> 2;
              case VERSION_2_5 -> 4;
              default -> 1;
            };
    int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitRateIndex];
    return new Mp3FrameHeader(
        bits,
        mpeg1,
        kbps,
        sampleRate,
        (bits >>> 9 & 1) == 1,
        (bits >>> 6 & 3) == CHANNEL_MODE_MONO);
  }

  /** Bytes in the whole frame, header included. */
  public int frameLength() {
    return frameLength(bitRateKbps) + (padded ? 1 : 0);
  }

  /** Bytes in an unpadded frame of this stream's kind at {@code kbps}. */
  int frameLength(int kbps) {
    return (mpeg1 ? 144_000 : 72_000) * kbps / sampleRate;
  }

  /** Whether a 16-bit CRC follows the header (before the side information). */
  boolean crcProtected() {
    return (bits >>> 16 & 1) == 0;
  }

  /** Bytes of side information after the header, where an Info frame's tag starts. */
  public int sideInfoLength() {
    if (mpeg1) {
      return mono ? 17 : 32;
    }
    return mono ? 9 : 17;
  }

  /**
   * This header with another bit rate, no padding and no joint-stereo mode extension: an Info
   * frame's header.
   */
  Mp3FrameHeader infoFrameHeader(int kbps) {
    int[] table = mpeg1 ? MPEG1_KBPS : MPEG2_KBPS;
    int index = 1;
    while (table[index] != kbps) {
      index++;
    }
    int infoBits = bits & ~(0xF << 12) & ~(1 << 9) & ~(3 << 4) | index << 12;
    return new Mp3FrameHeader(infoBits, mpeg1, kbps, sampleRate, false, mono);
  }

  /** Bit rates of this stream's kind, lowest first. */
  int[] bitRates() {
    int[] table = mpeg1 ? MPEG1_KBPS : MPEG2_KBPS;
    return Arrays.copyOfRange(table, 1, table.length);
  }
}
