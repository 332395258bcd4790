package dev.concat.activities.chunk;

import java.nio.file.Path;
import java.util.List;

/** FFmpeg's input options and filter for one range of samples of a PCM WAV source. */
final class PcmRangeInput {
  private PcmRangeInput() {}

  /**
   * Seeks to the whole second at or before {@code start} (a whole second is a whole number of
   * samples, so the seek is exact), then trims by sample numbers counted from there; no metadata.
   */
  static List<String> args(Path wav, int sampleRate, long start, long end) {
    long seekSeconds = start / sampleRate;
    long seekSample = seekSeconds * sampleRate;
    String trim =
        "atrim=start_sample=" + (start - seekSample) + ":end_sample=" + (end - seekSample);
    return List.of(
        "-ss",
        String.valueOf(seekSeconds),
        "-i",
        wav.toString(),
        "-map",
        "0:a:0",
        "-map_metadata",
        "-1",
        "-af",
        trim);
  }
}
