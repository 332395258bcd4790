package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.Mp3FrameHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Xing/Info frame and LAME tag at the front of an MP3 that FFmpeg's muxer wrote: how many audio
 * frames follow, and the encoder delay and padding a gapless decoder drops. Together they give the
 * file's playing length to the sample without decoding it.
 *
 * @param frames audio frames after the Info frame
 * @param samplesPerFrame 1152 for MPEG-1 Layer III, 576 for MPEG-2 and 2.5 (rates below 32 kHz)
 * @param delay samples of encoder delay at the start
 * @param padding samples of padding at the end
 */
record Mp3InfoTag(long frames, int samplesPerFrame, int delay, int padding) {
  /** Enough of the first frame for the Xing and LAME tags. */
  private static final int FRAME_BYTES = 512;

  /** Frame-count, byte-count, TOC and quality flags of the Xing tag: what precedes the LAME tag. */
  private static final int FLAG_FRAMES = 1;

  private static final int FLAG_BYTES = 2;
  private static final int FLAG_TOC = 4;
  private static final int FLAG_QUALITY = 8;

  /** The LAME tag's delay/padding field: 12 bits each, 21 bytes into the tag. */
  private static final int LAME_DELAY_OFFSET = 21;

  /** The samples a gapless decoder returns. */
  long decodedSamples() {
    return frames * samplesPerFrame - delay - padding;
  }

  /** Reads the tag; empty when the file has none (or no LAME tag to say delay and padding). */
  static Optional<Mp3InfoTag> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    }
  }

  /** As {@link #read(Path)}, from the start of a file's bytes (an open file renamed since, say). */
  static Optional<Mp3InfoTag> read(InputStream file) throws IOException {
    byte[] frame = firstFrame(file);
    Mp3FrameHeader header;
    try {
      header = Mp3FrameHeader.parse(frame, 0);
    } catch (IllegalArgumentException notAFrame) {
      return Optional.empty();
    }
    boolean mpeg1 = header.mpeg1();
    // The Xing tag follows the side information, whose size depends on the version and channels.
    int tag = Mp3FrameHeader.LENGTH + header.sideInfoLength();
    if (tag + 12 > frame.length || !isXing(frame, tag)) {
      return Optional.empty();
    }
    int flags = readInt(frame, tag + 4);
    if ((flags & FLAG_FRAMES) == 0) {
      return Optional.empty();
    }
    long frames = readInt(frame, tag + 8) & 0xFFFFFFFFL;
    int lame =
        tag
            + 12
            + ((flags & FLAG_BYTES) != 0 ? 4 : 0)
            + ((flags & FLAG_TOC) != 0 ? 100 : 0)
            + ((flags & FLAG_QUALITY) != 0 ? 4 : 0);
    if (lame + LAME_DELAY_OFFSET + 3 > frame.length || !isLameTag(frame, lame)) {
      return Optional.empty();
    }
    int d = lame + LAME_DELAY_OFFSET;
    int delay = ((frame[d] & 0xFF) << 4) | ((frame[d + 1] & 0xFF) >> 4);
    int padding = ((frame[d + 1] & 0x0F) << 8) | (frame[d + 2] & 0xFF);
    return Optional.of(new Mp3InfoTag(frames, mpeg1 ? 1152 : 576, delay, padding));
  }

  /**
   * The first bytes of the first frame: after the ID3v2 tag (which a cover image can make large),
   * if any.
   */
  private static byte[] firstFrame(InputStream in) throws IOException {
    byte[] id3 = in.readNBytes(10);
    if (id3.length < 10 || id3[0] != 'I' || id3[1] != 'D' || id3[2] != '3') {
      byte[] rest = in.readNBytes(FRAME_BYTES - id3.length);
      byte[] frame = new byte[id3.length + rest.length];
      System.arraycopy(id3, 0, frame, 0, id3.length);
      System.arraycopy(rest, 0, frame, id3.length, rest.length);
      return frame;
    }
    long size =
        ((id3[6] & 0x7FL) << 21)
            | ((id3[7] & 0x7FL) << 14)
            | ((id3[8] & 0x7FL) << 7)
            | (id3[9] & 0x7F);
    in.skipNBytes(size + ((id3[5] & 0x10) != 0 ? 10 : 0));
    return in.readNBytes(FRAME_BYTES);
  }

  private static boolean isXing(byte[] b, int at) {
    return (b[at] == 'X' && b[at + 1] == 'i' && b[at + 2] == 'n' && b[at + 3] == 'g')
        || (b[at] == 'I' && b[at + 1] == 'n' && b[at + 2] == 'f' && b[at + 3] == 'o');
  }

  /**
   * LAME writes "LAME", FFmpeg's muxer its own name ("Lavc..." or "Lavf..."), in the same layout.
   */
  private static boolean isLameTag(byte[] b, int at) {
    return (b[at] == 'L' && b[at + 1] == 'A' && b[at + 2] == 'M' && b[at + 3] == 'E')
        || (b[at] == 'L' && b[at + 1] == 'a' && b[at + 2] == 'v');
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}
