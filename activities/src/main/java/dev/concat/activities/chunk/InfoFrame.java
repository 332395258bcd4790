package dev.concat.activities.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Info frame (a Xing header for a CBR stream) with a LAME tag, written in front of the joined
 * frames: a silent frame that players skip, which tells them the frame count, the byte count and
 * seek table, and the encoder delay and end padding to drop, so the stream decodes to exactly the
 * source's samples. Field layout as LAME and FFmpeg's mp3 muxer write it.
 */
public final class InfoFrame {
  private static final int TOC_ENTRIES = 100;

  /** "Info", flags, frames, bytes, the seek table, quality. */
  private static final int XING_LENGTH = 4 + 4 + 4 + 4 + TOC_ENTRIES + 4;

  /** The LAME tag up to and including its CRC. */
  private static final int LAME_TAG_LENGTH = 36;

  /** The LAME tag's CRC covers the frame's first 190 bytes, its own field counted as zero. */
  private static final int TAG_CRC_SPAN = 190;

  private static final int FLAGS_FRAMES_BYTES_TOC_QUALITY = 0x0F;

  /**
   * The encoder is LAME (through libmp3lame); players look for this prefix before trusting the tag.
   */
  private static final String ENCODER = "LAME3.100";

  private static final int VBR_METHOD_CBR = 1;

  /**
   * What the Info frame describes.
   *
   * @param frames audio frames after the Info frame
   * @param audioBytes bytes of those frames
   * @param tocFrameOffsets for i in 0..99, the offset in the audio bytes of frame floor(i * frames
   *     / 100)
   * @param encoderDelay samples the encoder put before the source
   * @param endPadding samples after the source's last sample
   * @param musicCrc CRC-16/ARC of the audio bytes
   */
  public record Stream(
      long frames,
      long audioBytes,
      long[] tocFrameOffsets,
      int encoderDelay,
      int endPadding,
      int musicCrc) {}

  private final Mp3FrameHeader header;
  private final int streamKbps;

  /** An Info frame for a stream of frames like {@code audio}: same version, rate and channels. */
  public InfoFrame(Mp3FrameHeader audio) {
    int tagEnd = Mp3FrameHeader.LENGTH + audio.sideInfoLength() + XING_LENGTH + LAME_TAG_LENGTH;
    int needed = Math.max(tagEnd, TAG_CRC_SPAN);
    int kbps = audio.bitRateKbps();
    if (audio.frameLength(kbps) < needed) {
      // The stream's own rate leaves no room (low rates): the smallest frame that holds the tag.
      kbps =
          Arrays.stream(audio.bitRates())
              .filter(rate -> audio.frameLength(rate) >= needed)
              .min()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no frame of " + audio + " holds an Info frame"));
    }
    this.header = audio.infoFrameHeader(kbps);
    this.streamKbps = audio.bitRateKbps();
  }

  public int length() {
    return header.frameLength();
  }

  public byte[] bytes(Stream stream) {
    if (stream.tocFrameOffsets().length != TOC_ENTRIES) {
      throw new IllegalArgumentException(
          "a seek table has " + TOC_ENTRIES + " entries, not " + stream.tocFrameOffsets().length);
    }
    long totalBytes = length() + stream.audioBytes();
    var frame = ByteBuffer.allocate(length());
    frame.putInt(header.bits());
    frame.position(Mp3FrameHeader.LENGTH + header.sideInfoLength());
    frame.put("Info".getBytes(StandardCharsets.US_ASCII));
    frame.putInt(FLAGS_FRAMES_BYTES_TOC_QUALITY);
    frame.putInt((int) stream.frames());
    frame.putInt((int) totalBytes);
    for (long offset : stream.tocFrameOffsets()) {
      frame.put((byte) Math.min(255, (length() + offset) * 256 / totalBytes));
    }
    frame.putInt(0);
    putLameTag(frame, stream, totalBytes);
    frame.putShort((short) Crc16Arc.of(frame.array(), 0, TAG_CRC_SPAN));
    return frame.array();
  }

  /** Leaves the buffer at the tag's CRC field. */
  private void putLameTag(ByteBuffer frame, Stream stream, long totalBytes) {
    frame.put(ENCODER.getBytes(StandardCharsets.US_ASCII));
    frame.put((byte) VBR_METHOD_CBR);
    frame.put((byte) 0); // lowpass: not known here
    frame.putInt(0); // peak amplitude: not measured
    frame.putShort((short) 0); // radio replay gain
    frame.putShort((short) 0); // audiophile replay gain
    frame.put((byte) 0); // encoding flags and ATH type
    frame.put((byte) Math.min(255, streamKbps));
    frame.put((byte) (stream.encoderDelay() >> 4));
    frame.put((byte) ((stream.encoderDelay() & 0xF) << 4 | stream.endPadding() >> 8));
    frame.put((byte) stream.endPadding());
    frame.put((byte) (sourceRateCode() << 6));
    frame.put((byte) 0); // MP3 gain
    frame.putShort((short) 0); // preset and surround
    frame.putInt((int) totalBytes);
    frame.putShort((short) stream.musicCrc());
  }

  /** The LAME tag's two-bit source frequency: up to 32 kHz, 44.1, 48, above. */
  private int sourceRateCode() {
    return switch (header.sampleRate()) {
      case 44_100 -> 1;
      case 48_000 -> 2;
      default -> 0;
    };
  }
}
