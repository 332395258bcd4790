package dev.concat.activities;

/**
 * What an activity tells its workflow (through the {@value #SIGNAL} signal) so the status
 * query shows live progress. Sent at most every few seconds, never per segment.
 *
 * @param phase {@code download}, {@code concat} or {@code upload}
 * @param done segments done in this phase (bytes for upload)
 * @param total segments in the job (bytes for upload)
 * @param worker the worker identity doing the work
 * @param attempt the activity's attempt number
 * @param atMillis when the progress was seen, epoch milliseconds
 */
public record ProgressUpdate(String phase, long done, long total, String worker, int attempt, long atMillis) {
  public static final String SIGNAL = "progress";
}
