package dev.concat.activities.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Info frame and LAME tag at the start of an MP3 file, read by test code written apart from the
 * product's {@code InfoFrame}, with the CRCs recomputed bit by bit.
 *
 * @param infoFrameLength bytes of the Info frame
 * @param frames the frame count field
 * @param bytes the byte count field
 * @param toc the 100-entry seek table
 * @param encoderDelay samples the decoder drops at the start
 * @param endPadding samples the decoder drops at the end
 * @param musicLength the LAME tag's music length field
 * @param musicCrcOk whether the music CRC field matches the audio bytes after the Info frame
 * @param tagCrcOk whether the tag CRC field matches the frame's first 190 bytes
 */
record LameTagFields(
    int infoFrameLength,
    long frames,
    long bytes,
    int[] toc,
    int encoderDelay,
    int endPadding,
    long musicLength,
    boolean musicCrcOk,
    boolean tagCrcOk) {

  static LameTagFields read(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file);
    int header = in.getInt(0);
    boolean mpeg1 = (header >>> 19 & 3) == 3;
    boolean mono = (header >>> 6 & 3) == 3;
    int[] kbps =
        mpeg1
            ? new int[] {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
            : new int[] {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    int rate = new int[] {44_100, 48_000, 32_000}[header >>> 10 & 3] / (mpeg1 ? 1 : 2);
    int length = (mpeg1 ? 144 : 72) * kbps[header >>> 12 & 0xF] * 1000 / rate + (header >>> 9 & 1);
    int xing = 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    String id = new String(file, xing, 4, StandardCharsets.US_ASCII);
    if (!id.equals("Info") && !id.equals("Xing")) {
      throw new AssertionError("no Info frame: found '" + id + "' at byte " + xing);
    }
    int[] toc = new int[100];
    for (int i = 0; i < 100; i++) {
      toc[i] = file[xing + 16 + i] & 0xFF;
    }
    int lame = xing + 120;
    int delayAndPadding =
        (file[lame + 21] & 0xFF) << 16 | (file[lame + 22] & 0xFF) << 8 | file[lame + 23] & 0xFF;
    int musicCrc = in.getShort(lame + 32) & 0xFFFF;
    int tagCrc = in.getShort(lame + 34) & 0xFFFF;
    // The tag CRC's own field, where it lies inside the span (mono), counts as zero.
    byte[] tagSpan = Arrays.copyOf(file, Math.max(190, lame + 36));
    tagSpan[lame + 34] = 0;
    tagSpan[lame + 35] = 0;
    return new LameTagFields(
        length,
        Integer.toUnsignedLong(in.getInt(xing + 8)),
        Integer.toUnsignedLong(in.getInt(xing + 12)),
        toc,
        delayAndPadding >>> 12,
        delayAndPadding & 0xFFF,
        Integer.toUnsignedLong(in.getInt(lame + 28)),
        crc(file, length, file.length) == musicCrc,
        crc(tagSpan, 0, 190) == tagCrc);
  }

  /** CRC-16/ARC, one bit at a time. */
  private static int crc(byte[] data, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= data[i] & 0xFF;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) == 1 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }
}
