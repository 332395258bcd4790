package dev.concat.contract;

/**
 * What an activity tells its workflow so the status query shows live progress. Sent at most every
 * few seconds, never per segment, through the {@value #UPDATE} update when the workflow handed the
 * activity a progress token, otherwise (a job started before the token existed) through the {@value
 * #SIGNAL} signal.
 *
 * @param phase {@code download}, {@code concat} or {@code upload}
 * @param done segments done in this phase (bytes for upload)
 * @param total segments in the job (bytes for upload)
 * @param worker the worker identity doing the work
 * @param attempt the activity's attempt number
 * @param atMillis when the progress was seen, epoch milliseconds
 * @param token the progress token of the workflow's attempt this activity belongs to, or null
 */
public record ProgressUpdate(
    String phase, long done, long total, String worker, int attempt, long atMillis, String token) {
  /**
   * The legacy channel: accepted by every version of the workflow, used only by jobs without a
   * token.
   */
  public static final String SIGNAL = "progress";

  /**
   * The channel of jobs with a token: the workflow's validator rejects bad input before it enters
   * history.
   */
  public static final String UPDATE = "reportProgress";

  public ProgressUpdate(
      String phase, long done, long total, String worker, int attempt, long atMillis) {
    this(phase, done, total, worker, attempt, atMillis, null);
  }
}
