package dev.concat.activities.chunk;

/**
 * Where a layer III frame's audio data lies. A frame's main data need not sit in its own bytes:
 * with the bit reservoir, it starts {@code begin} bytes back in the main data area of earlier
 * frames (their bytes after header, CRC and side information) and runs {@code length} bytes.
 *
 * @param begin the side information's main_data_begin: bytes back from this frame's own area
 * @param length bytes of scale factors and Huffman data, all granules and channels
 */
record MainData(int begin, int length) {
  private static final int GRANULES = 2;

  /** Side information bits per granule and channel, part2_3_length first. */
  private static final int GRANULE_CHANNEL_BITS = 59;

  /**
   * Reads the side information of the MPEG-1 frame at {@code frameStart} (chunks are MPEG-1 only,
   * see {@link ChunkGrid}).
   */
  static MainData of(byte[] data, int frameStart, Mp3FrameHeader header) {
    if (!header.mpeg1()) {
      throw new IllegalArgumentException(
          "the frame at byte " + frameStart + " is MPEG-2 or 2.5; chunks are MPEG-1");
    }
    var bits =
        new BitReader(data, frameStart + Mp3FrameHeader.LENGTH + (header.crcProtected() ? 2 : 0));
    int channels = header.mono() ? 1 : 2;
    int begin = bits.read(9);
    bits.skip((header.mono() ? 5 : 3) + 4 * channels); // private bits, scale factor selection
    int totalBits = 0;
    for (int i = 0; i < GRANULES * channels; i++) {
      totalBits += bits.read(12); // part2_3_length
      bits.skip(GRANULE_CHANNEL_BITS - 12);
    }
    return new MainData(begin, (totalBits + 7) / 8);
  }

  private static final class BitReader {
    private final byte[] data;
    private long position;

    BitReader(byte[] data, int byteOffset) {
      this.data = data;
      this.position = byteOffset * 8L;
    }

    int read(int count) {
      int value = 0;
      for (int i = 0; i < count; i++, position++) {
        value = value << 1 | (data[(int) (position >>> 3)] >>> (7 - (int) (position & 7))) & 1;
      }
      return value;
    }

    void skip(int count) {
      position += count;
    }
  }
}
