package dev.concat.contract;

import dev.concat.contract.audio.MeasuredAudio;

/**
 * What a completed job produced.
 *
 * @param output the output's S3 URI
 * @param durationSeconds the output's decoded duration
 * @param sizeBytes the output's size
 * @param mode {@code copy} or {@code reencode}
 * @param downloadSeconds time spent downloading segments
 * @param concatSeconds time spent probing and running FFmpeg
 * @param uploadSeconds time spent uploading the output
 * @param audio the output as measured: codec, rate, channels, bit rate, loudness, true peak,
 *     chapters; null for jobs that completed before it was measured
 */
public record ConcatResult(
    String output,
    double durationSeconds,
    long sizeBytes,
    String mode,
    double downloadSeconds,
    double concatSeconds,
    double uploadSeconds,
    MeasuredAudio audio) {

  public ConcatResult(
      String output,
      double durationSeconds,
      long sizeBytes,
      String mode,
      double downloadSeconds,
      double concatSeconds,
      double uploadSeconds) {
    this(
        output,
        durationSeconds,
        sizeBytes,
        mode,
        downloadSeconds,
        concatSeconds,
        uploadSeconds,
        null);
  }
}
