package dev.concat.contract;

import dev.concat.contract.audio.MeasuredAudio;

/**
 * @param durationSeconds the joined file's decoded duration
 * @param sizeBytes the joined file's size
 * @param mode {@code copy} or {@code reencode}
 * @param seconds wall time of the FFmpeg phase, probing and measuring included
 * @param audio what the joined file measures: stream, loudness, true peak, chapters
 * @param staged when not null, nothing was joined yet: the host staged these chunks for {@link
 *     ChunkActivities#encodeChunks} and waits for {@link JobActivities#assemble}; the other fields
 *     are then zero
 */
public record ConcatOutput(
    double durationSeconds,
    long sizeBytes,
    String mode,
    double seconds,
    MeasuredAudio audio,
    StagedChunks staged) {

  public ConcatOutput(
      double durationSeconds, long sizeBytes, String mode, double seconds, MeasuredAudio audio) {
    this(durationSeconds, sizeBytes, mode, seconds, audio, null);
  }

  /** The host staged {@code chunks} and joined nothing yet. */
  public static ConcatOutput staged(StagedChunks chunks, double seconds) {
    return new ConcatOutput(0, 0, "reencode", seconds, null, chunks);
  }

  public ConcatOutput(double durationSeconds, long sizeBytes, String mode, double seconds) {
    this(durationSeconds, sizeBytes, mode, seconds, null);
  }
}
