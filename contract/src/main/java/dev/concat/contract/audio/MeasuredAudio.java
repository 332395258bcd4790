package dev.concat.contract.audio;

/**
 * The finished file as measured after it was written: ffprobe for the stream, and a full decode
 * through FFmpeg's EBU R128 meter for the rest.
 *
 * @param codec the output's codec, for example {@code mp3} or {@code aac}
 * @param sampleRate samples per second
 * @param channels channel count
 * @param bitRate the stream's bit rate in bits per second
 * @param decodedSeconds the playing time of the decoded audio (encoder delay and padding excluded)
 * @param integratedLufs integrated loudness (EBU R128), in LUFS
 * @param truePeakDb true peak, in dBTP
 * @param loudnessRangeLu loudness range, in LU
 * @param chapters how many chapters the file holds
 * @param gainDb the gain loudness normalisation applied, or null when it was not asked for
 * @param loudnessShortfall why the output misses the loudness target or the true-peak ceiling
 *     (silent audio, a limiter that cannot hold the ceiling); null when it meets both or none was
 *     asked
 */
public record MeasuredAudio(
    String codec,
    int sampleRate,
    int channels,
    long bitRate,
    double decodedSeconds,
    double integratedLufs,
    double truePeakDb,
    double loudnessRangeLu,
    int chapters,
    Double gainDb,
    String loudnessShortfall) {

  public MeasuredAudio(
      String codec,
      int sampleRate,
      int channels,
      long bitRate,
      double decodedSeconds,
      double integratedLufs,
      double truePeakDb,
      double loudnessRangeLu,
      int chapters,
      Double gainDb) {
    this(
        codec,
        sampleRate,
        channels,
        bitRate,
        decodedSeconds,
        integratedLufs,
        truePeakDb,
        loudnessRangeLu,
        chapters,
        gainDb,
        null);
  }

  public MeasuredAudio withLoudnessShortfall(String reason) {
    return new MeasuredAudio(
        codec,
        sampleRate,
        channels,
        bitRate,
        decodedSeconds,
        integratedLufs,
        truePeakDb,
        loudnessRangeLu,
        chapters,
        gainDb,
        reason);
  }
}
