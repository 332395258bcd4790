package dev.concat.activities.chunk;

import java.nio.ByteBuffer;

/**
 * CRC-16/ARC (reflected polynomial 0xA001, initial value 0): the checksum of the LAME tag's two CRC
 * fields.
 */
final class Crc16Arc {
  private static final int[] TABLE = table();

  private int value;

  void update(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      value = value >>> 8 ^ TABLE[(value ^ data[i]) & 0xFF];
    }
  }

  void update(ByteBuffer data) {
    ByteBuffer bytes = data.duplicate();
    while (bytes.hasRemaining()) {
      value = value >>> 8 ^ TABLE[(value ^ bytes.get()) & 0xFF];
    }
  }

  int value() {
    return value;
  }

  static int of(byte[] data, int offset, int length) {
    var crc = new Crc16Arc();
    crc.update(data, offset, length);
    return crc.value();
  }

  private static int[] table() {
    int[] table = new int[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int bit = 0; bit < 8; bit++) {
        c = (c & 1) != 0 ? c >>> 1 ^ 0xA001 : c >>> 1;
      }
      table[i] = c;
    }
    return table;
  }
}
