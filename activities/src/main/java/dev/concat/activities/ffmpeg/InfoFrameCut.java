package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.Mp3FrameHeader;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * Where an MP3's Info frame sits at the start of the file, so a stream can leave it out: the muxer
 * rewrites that frame when it finishes, and a reader that meets it sometimes before and sometimes
 * after the rewrite would decode with a different delay each time. Without it the decoder keeps the
 * whole delay, always the same ({@link FfmpegCommand#MP3_STREAM_DELAY_SAMPLES}).
 */
final class InfoFrameCut {
  private static final int ID3_HEADER = 10;
  private static final int ID3_FOOTER_FLAG = 0x10;

  private InfoFrameCut() {}

  /**
   * The offset just past the Info frame, given the file's first bytes; empty while more bytes are
   * needed to say.
   *
   * @throws IllegalArgumentException when the first frame is no Info frame
   */
  static OptionalInt infoFrameEnd(byte[] head) {
    if (head.length < ID3_HEADER) {
      return OptionalInt.empty();
    }
    int frame = firstFrame(head);
    if (head.length < frame + Mp3FrameHeader.LENGTH) {
      return OptionalInt.empty();
    }
    Mp3FrameHeader header = Mp3FrameHeader.parse(head, frame);
    int end = frame + header.frameLength();
    if (head.length < end) {
      return OptionalInt.empty();
    }
    int tag = frame + Mp3FrameHeader.LENGTH + header.sideInfoLength();
    if (!isInfoTag(head, tag)) {
      throw new IllegalArgumentException("the first frame at byte " + frame + " is no Info frame");
    }
    return OptionalInt.of(end);
  }

  /** The offset of the first frame: after the ID3v2 tag, when there is one. Needs 10 bytes. */
  static int firstFrame(byte[] head) {
    if (head[0] != 'I' || head[1] != 'D' || head[2] != '3') {
      return 0;
    }
    int size =
        (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | head[9] & 0x7F;
    return ID3_HEADER + size + ((head[5] & ID3_FOOTER_FLAG) != 0 ? ID3_HEADER : 0);
  }

  private static boolean isInfoTag(byte[] b, int at) {
    if (at + 4 > b.length) {
      return false;
    }
    String tag = new String(b, at, 4, StandardCharsets.ISO_8859_1);
    return tag.equals("Info") || tag.equals("Xing");
  }
}
