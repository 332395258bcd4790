package dev.concat.activities.ffmpeg;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import java.util.Locale;
import java.util.Objects;

/**
 * The second pass of loudness normalisation: one fixed gain for the whole episode, so its dynamics
 * stay as produced (FFmpeg's loudnorm would fall back to dynamic compression whenever the gain
 * pushes the peaks past the ceiling). Where the gain would do that, a look-ahead limiter catches
 * only those peaks; everywhere else the gain is linear.
 *
 * <p>The encoder moves the loudness too. LAME lowers the level by a fixed amount that depends on
 * the bit rate ({@link #predictedEncoderDropDb}), which the first gain makes up for; its and AAC's
 * low-pass take up to 0.5 LU more from pink noise and nothing from speech, which no table predicts.
 * So the encoded file is measured (the result reports that measurement anyway) and, when it misses,
 * the gain is moved by the miss and the audio encoded again: the encoders are linear enough that
 * one correction lands within a few hundredths.
 *
 * @param gainDb the gain applied
 * @param limitDb the limiter's threshold in dBFS, or null when the peaks fit under the ceiling
 * @param sourcePeakDb the true peak of the audio before the gain
 */
record LinearGain(double gainDb, Double limitDb, double sourcePeakDb) {
  /** The meter reads silence as -70 LUFS; no gain makes silence reach a loudness target. */
  static final double SILENCE_LUFS = -70;

  /**
   * How far concat's meter may read the encoded file from the target. Half the ±0.1 LU asked for:
   * the rest is room for another BS.1770 meter's reading (FFmpeg's and the standard's filter
   * coefficients agree within 0.01 LU).
   */
  static final double TOLERANCE_LU = 0.05;

  /**
   * Room under the true-peak ceiling for what the meter's sample peaks and the encoder add:
   * inter-sample peaks and MP3/AAC quantisation raise the true peak by up to about half a dB.
   */
  private static final double HEADROOM_DB = 1.0;

  /**
   * The most the limiter may take off the highest peak. Beyond that it no longer catches a few
   * peaks but flattens the programme (a target far above what the ceiling allows would drive the
   * gain up without end while the limiter ate it), so the gain stops there and the job reports the
   * shortfall.
   */
  static final double MAX_LIMITING_DB = 6.0;

  /**
   * @param encoderDropDb how much the encoder is expected to lower the level; made up for by the
   *     gain
   */
  static LinearGain toReach(Loudness target, LoudnessSummary measured, double encoderDropDb) {
    double gain = target.integratedLufs() - measured.integratedLufs() + encoderDropDb;
    boolean peaksOver =
        measured.truePeakDb() + gain - encoderDropDb > target.truePeakDb() - HEADROOM_DB / 2;
    return new LinearGain(
            gain, peaksOver ? target.truePeakDb() - HEADROOM_DB : null, measured.truePeakDb())
        .capped(target);
  }

  /**
   * The level LAME takes off, measured with FFmpeg 5.1's libmp3lame on tones at 8-48 kHz, mono and
   * stereo: 0.445 dB (a factor of 0.95) up to 128 kb/s, 0.26 dB at 192 kb/s, none from 256 kb/s.
   * FFmpeg's AAC encoder keeps the level. A first guess only: the encoded file is measured.
   */
  static double predictedEncoderDropDb(OutputFormat format, int bitrateKbps) {
    if (format != OutputFormat.MP3 || bitrateKbps >= 256) {
      return 0;
    }
    return bitrateKbps <= 128 ? 0.445 : 0.26;
  }

  /** Whether the gain is as high as {@link #MAX_LIMITING_DB} of limiting lets it go. */
  boolean atLimitingCap(Loudness target) {
    return gainDb >= maxGainDb(target) - 1e-9;
  }

  private double maxGainDb(Loudness target) {
    double threshold = limitDb == null ? target.truePeakDb() - HEADROOM_DB : limitDb;
    return threshold - sourcePeakDb + MAX_LIMITING_DB;
  }

  private LinearGain capped(Loudness target) {
    return gainDb <= maxGainDb(target)
        ? this
        : new LinearGain(maxGainDb(target), limitDb, sourcePeakDb);
  }

  /**
   * Whether the encoded output is within the tolerance of the target and its peaks under the
   * ceiling.
   */
  static boolean reached(Loudness target, MeasuredAudio output) {
    return Math.abs(output.integratedLufs() - target.integratedLufs()) <= TOLERANCE_LU
        && output.truePeakDb() <= target.truePeakDb();
  }

  /**
   * This gain moved by what the encoded output missed the target by. The limiter stays if it was
   * there; it comes in when the moved gain would push the peaks over, and its threshold drops by
   * whatever the output's true peak exceeded the ceiling by. The gain stays within {@link
   * #MAX_LIMITING_DB} of limiting.
   *
   * @param earlier the encode before this one with its gain, or null: where the limiter is at work
   *     a dB of gain adds less than a dB of loudness, and the two encodes show how much
   */
  LinearGain correctedFor(Loudness target, MeasuredAudio output, Attempt earlier) {
    double delta = (target.integratedLufs() - output.integratedLufs()) / response(output, earlier);
    double over = Math.max(0, output.truePeakDb() - target.truePeakDb());
    boolean peaksOver =
        limitDb != null || output.truePeakDb() + delta > target.truePeakDb() - HEADROOM_DB / 2;
    Double limit =
        peaksOver ? (limitDb == null ? target.truePeakDb() - HEADROOM_DB : limitDb) - over : null;
    return new LinearGain(gainDb + delta, limit, sourcePeakDb).capped(target);
  }

  /** An encode with this gain and what it measured. */
  record Attempt(LinearGain gain, MeasuredAudio output) {}

  /**
   * LU of output per dB of gain between the earlier encode and this one, when both had the same
   * limiter; 1 otherwise. Bounded, so a noisy pair of readings cannot send the gain far off.
   */
  private double response(MeasuredAudio output, Attempt earlier) {
    if (earlier == null
        || !Objects.equals(earlier.gain().limitDb(), limitDb)
        || Math.abs(gainDb - earlier.gain().gainDb()) < 0.01) {
      return 1;
    }
    double slope =
        (output.integratedLufs() - earlier.output().integratedLufs())
            / (gainDb - earlier.gain().gainDb());
    return Math.max(0.25, Math.min(1.5, slope));
  }

  /**
   * The FFmpeg filters: volume, then (when needed) a limiter whose delay is compensated, so timing
   * stays exact.
   */
  String filter() {
    String volume = String.format(Locale.ROOT, "volume=%.4fdB", gainDb);
    if (limitDb == null) {
      return volume;
    }
    double limit = Math.pow(10, limitDb / 20);
    return volume
        + String.format(
            Locale.ROOT, ",alimiter=limit=%.5f:level=0:latency=1:attack=5:release=50", limit);
  }
}
