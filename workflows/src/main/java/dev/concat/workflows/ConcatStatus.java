package dev.concat.workflows;

/**
 * A snapshot of a job, as the {@code status} query returns it. Times are ISO-8601 UTC strings
 * so that every client (Web UI, temporal CLI, other SDKs) reads them as they are.
 *
 * @param attempt which try of the host-bound download-concat-upload sequence is running (1-based)
 * @param worker the identity ({@code pid@host}) of the worker doing the work, when known
 * @param lastError the most recent failure message, kept after a successful retry
 * @param result set once the job is COMPLETED
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
    ConcatResult result) {}
