package dev.concat.activities.chunk;

/**
 * Where an MP3 file's audio frames lie and where their samples fall on the timeline a gapless
 * decoder plays: frame v (counted after the Info frame) decodes, read without the Info frame, from
 * sample {@code samplesPerFrame * v - startSkip} on.
 *
 * @param frameOffsets where each audio frame starts in the file
 * @param bytes the file's length: where the last frame ends
 * @param samples the samples a gapless decoder plays
 * @param samplesPerFrame 1152 for MPEG-1, 576 for MPEG-2 and 2.5
 * @param startSkip the samples a gapless decoder drops at the start: the encoder delay the Info
 *     frame names, and the 529 of the decoder's own delay
 */
public record Mp3Timeline(
    long[] frameOffsets, long bytes, long samples, int samplesPerFrame, int startSkip) {
  /** FFmpeg's MP3 decoder delay, which its demuxer drops with the encoder delay. */
  public static final int DECODER_DELAY = 529;

  /** The timeline of a chunked join's output, whose encoder delay is LAME's. */
  public static Mp3Timeline of(ChunkedMp3Join.Result joined) {
    return new Mp3Timeline(
        joined.frameOffsets(),
        joined.bytes(),
        joined.samples(),
        ChunkGrid.FRAME_SAMPLES,
        ChunkGrid.TOTAL_DELAY);
  }

  /** The first sample frame {@code frame} decodes, read without the Info frame. */
  long decodedStart(long frame) {
    return frame * samplesPerFrame - startSkip;
  }

  /** The frame whose decode, read without the Info frame, holds sample {@code sample}. */
  long frameHolding(long sample) {
    return Math.floorDiv(sample + startSkip, samplesPerFrame);
  }

  /** Where frame {@code frame} starts, or the end of the file past the last frame. */
  long offset(long frame) {
    return frame >= frameOffsets.length ? bytes : frameOffsets[(int) frame];
  }
}
