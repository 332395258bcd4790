package dev.concat.contract;

/**
 * A snapshot of a job, as the {@code status} query returns it. Times are ISO-8601 UTC strings so
 * that every client (Web UI, temporal CLI, other SDKs) reads them as they are.
 *
 * @param startedAt when the job was submitted
 * @param attempt which try of the host-bound download-concat-upload sequence is running (1-based)
 * @param worker the identity ({@code pid@host}) of the worker doing the work, when known
 * @param lastError the most recent failure message, kept after a successful retry
 * @param result set once the job is COMPLETED
 * @param workStartedAt when a worker first took the job up (its first host claim), or null
 * @param view {@value #WORKFLOW_VIEW} when the job's workflow answered, {@value #SERVER_VIEW} when
 *     no worker answered in time and the status was pieced together from what the Temporal server
 *     records (then the counts are those of the last heartbeat, if any)
 * @param viewReason why the server's view was shown (e.g. no worker has picked the job up), or null
 */
public record ConcatStatus(
    String jobId,
    JobState state,
    int segmentsTotal,
    int segmentsDownloaded,
    int segmentsConcatenated,
    long bytesUploaded,
    String startedAt,
    String lastProgressAt,
    int attempt,
    String worker,
    String lastError,
    ConcatResult result,
    String workStartedAt,
    String view,
    String viewReason) {
  public static final String WORKFLOW_VIEW = "workflow";
  public static final String SERVER_VIEW = "server";

  /** A status as the workflow itself answers it. */
  public ConcatStatus(
      String jobId,
      JobState state,
      int segmentsTotal,
      int segmentsDownloaded,
      int segmentsConcatenated,
      long bytesUploaded,
      String startedAt,
      String lastProgressAt,
      int attempt,
      String worker,
      String lastError,
      ConcatResult result) {
    this(
        jobId,
        state,
        segmentsTotal,
        segmentsDownloaded,
        segmentsConcatenated,
        bytesUploaded,
        startedAt,
        lastProgressAt,
        attempt,
        worker,
        lastError,
        result,
        null,
        WORKFLOW_VIEW,
        null);
  }
}
