package dev.concat.activities.ffmpeg;

import dev.concat.contract.policy.PolicyChecks;
import java.util.List;
import java.util.Locale;

/**
 * The operator's ceiling on how much audio one job decodes, held against the segments' probed
 * lengths before any decode: a few hundred kilobytes of FLAC can hold hours of audio, and every
 * hour is 635 MB of PCM on disk (and in memory where a filter holds a whole segment).
 */
final class DecodedLength {
  private DecodedLength() {}

  static void requireWithin(String jobId, List<AudioProbe> probes, long maxSeconds) {
    double total = probes.stream().mapToDouble(AudioProbe::durationSeconds).sum();
    if (total > maxSeconds) {
      throw PolicyChecks.limitExceeded(
          jobId,
          String.format(Locale.ROOT, "the segments' decoded audio (%.0f s)", total),
          maxSeconds,
          PolicyChecks.MAX_DECODED_SECONDS);
    }
  }
}
