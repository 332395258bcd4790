package dev.concat.activities.ffmpeg;

import dev.concat.activities.audio.Loudness;
import java.util.Locale;

/**
 * The second pass of loudness normalisation: one fixed gain for the whole episode, so its
 * dynamics stay as produced (FFmpeg's loudnorm would fall back to dynamic compression whenever
 * the gain pushes the peaks past the ceiling). Where the gain would do that, a look-ahead limiter
 * catches only those peaks; everywhere else the gain is linear.
 *
 * @param gainDb the gain applied
 * @param limitDb the limiter's threshold in dBFS, or null when the peaks fit under the ceiling
 */
record LinearGain(double gainDb, Double limitDb) {
  /** The meter reads silence as -70 LUFS; no gain makes silence reach a loudness target. */
  private static final double SILENCE_LUFS = -70;
  /**
   * Room under the true-peak ceiling for what the meter's sample peaks and the encoder add:
   * inter-sample peaks and MP3/AAC quantisation raise the true peak by up to about half a dB.
   */
  private static final double HEADROOM_DB = 1.0;
  /**
   * How far the encoded file may land from the target before it is encoded again with the gain
   * corrected. The encoder's low-pass takes energy the meter weighs: pink noise through LAME at
   * 128 kb/s measures 0.7 LU quieter than before it.
   */
  private static final double TOLERANCE_LU = 0.5;

  static LinearGain toReach(Loudness target, LoudnessSummary measured) {
    if (measured.integratedLufs() <= SILENCE_LUFS) {
      return new LinearGain(0, null);
    }
    double gain = target.integratedLufs() - measured.integratedLufs();
    boolean peaksOver = measured.truePeakDb() + gain > target.truePeakDb() - HEADROOM_DB / 2;
    return new LinearGain(gain, peaksOver ? target.truePeakDb() - HEADROOM_DB : null);
  }

  /** Whether the encoded output is further from the target than the tolerance (silence never reaches it). */
  static boolean missed(Loudness target, double outputLufs) {
    return outputLufs > SILENCE_LUFS && Math.abs(outputLufs - target.integratedLufs()) > TOLERANCE_LU;
  }

  /** This gain moved by what the encoded output missed the target by; the limiter stays if it was there. */
  LinearGain correctedFor(Loudness target, double outputLufs, double outputTruePeakDb) {
    double delta = target.integratedLufs() - outputLufs;
    boolean peaksOver = limitDb != null || outputTruePeakDb + delta > target.truePeakDb() - HEADROOM_DB / 2;
    return new LinearGain(gainDb + delta, peaksOver ? target.truePeakDb() - HEADROOM_DB : null);
  }

  /** The FFmpeg filters: volume, then (when needed) a limiter whose delay is compensated, so timing stays exact. */
  String filter() {
    String volume = String.format(Locale.ROOT, "volume=%.2fdB", gainDb);
    if (limitDb == null) {
      return volume;
    }
    double limit = Math.pow(10, limitDb / 20);
    return volume + String.format(Locale.ROOT, ",alimiter=limit=%.4f:level=0:latency=1:attack=5:release=50", limit);
  }
}
