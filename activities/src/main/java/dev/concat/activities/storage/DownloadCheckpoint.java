package dev.concat.activities.storage;

/**
 * The download activity's heartbeat details: where a retry on the same host resumes.
 *
 * @param completed the indexes of the segments already on disk, as {@link IndexRanges}
 * @param seconds the download time spent by earlier attempts, so the result reports the total
 */
public record DownloadCheckpoint(String completed, double seconds) {}
