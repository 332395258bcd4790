package dev.concat.contract;

import dev.concat.contract.audio.MeasuredAudio;

/**
 * @param durationSeconds the joined file's decoded duration
 * @param sizeBytes the joined file's size
 * @param mode {@code copy} or {@code reencode}
 * @param seconds wall time of the FFmpeg phase, probing and measuring included
 * @param audio what the joined file measures: stream, loudness, true peak, chapters
 */
public record ConcatOutput(
    double durationSeconds, long sizeBytes, String mode, double seconds, MeasuredAudio audio) {

  public ConcatOutput(double durationSeconds, long sizeBytes, String mode, double seconds) {
    this(durationSeconds, sizeBytes, mode, seconds, null);
  }
}
