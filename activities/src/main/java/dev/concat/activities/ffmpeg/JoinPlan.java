package dev.concat.activities.ffmpeg;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.AudioSpec;
import java.util.List;
import java.util.Set;

/**
 * How a job's segments become one stream: copied or re-encoded, and whether every segment is
 * decoded to PCM on its own first. The concat demuxer feeds all files to one decoder, which is
 * sample-exact only for codecs whose decoder yields exactly the producer's samples; every other
 * case decodes each segment first, where its exact length is known.
 *
 * @param mode copy or re-encode
 * @param decodeFirst whether each segment is decoded to PCM before the join
 * @param reason why, in words, for the log
 */
public record JoinPlan(ConcatMode mode, boolean decodeFirst, String reason) {
  /**
   * Codecs the demuxer can join gaplessly: MP3 (the LAME header's delay and padding are trimmed),
   * FLAC, Opus (its pre-skip is trimmed) and PCM. Not AAC (FFmpeg keeps the encoder's end padding,
   * about 20 ms a segment) nor Vorbis (a few samples short): measured with FFmpeg 5.1.
   */
  private static final Set<String> EXACT_DECODERS = Set.of("mp3", "flac", "opus");

  public static JoinPlan choose(
      List<AudioProbe> inputs, OutputFormat output, boolean allowCopy, AudioSpec audio) {
    AudioProbe first = inputs.get(0);
    boolean uniform = inputs.stream().allMatch(first::sameStreamAs);
    if (allowCopy
        && uniform
        && first.codec().equals(output.codec())
        && !audio.changesAudio()
        && audio.chapters().isEmpty()) {
      return new JoinPlan(
          ConcatMode.COPY,
          false,
          "the request allows stream copy and the segments match the output");
    }
    if (!uniform) {
      return new JoinPlan(
          ConcatMode.REENCODE, true, "the segments differ in codec, rate or channels");
    }
    if (!exactDecoder(first.codec())) {
      return new JoinPlan(
          ConcatMode.REENCODE,
          true,
          first.codec() + " segments are not joined gaplessly by the demuxer");
    }
    if (audio.needsSegmentsDecoded()) {
      return new JoinPlan(
          ConcatMode.REENCODE,
          true,
          "trimming, gaps, crossfades and chapters need each segment's exact length");
    }
    return new JoinPlan(
        ConcatMode.REENCODE, false, "the segments share one " + first.codec() + " format");
  }

  static boolean exactDecoder(String codec) {
    return EXACT_DECODERS.contains(codec) || codec.startsWith("pcm_");
  }
}
