package dev.concat.contract;

/**
 * The download activity's heartbeat details: where a later download of the job resumes. The
 * workflow hands the last one of a lost attempt to the next run, so a host that comes back (a
 * worker restarted on the same machine and work directory) skips what it already fetched.
 *
 * @param host the task queue of the host whose disk holds the segments; only that host can use it
 * @param completed the indexes of the segments already on that disk, as ranges ("0-41,43")
 * @param seconds the download time spent so far, so the result reports the total
 * @param bytesReceived bytes this attempt received so far, partial segments included: the download
 *     heartbeats whenever it grows, so an operator sees a slow transfer is alive
 */
public record DownloadCheckpoint(
    String host, String completed, double seconds, long bytesReceived) {

  public DownloadCheckpoint(String host, String completed, double seconds) {
    this(host, completed, seconds, 0);
  }

  public static DownloadCheckpoint none() {
    return new DownloadCheckpoint("", "", 0);
  }
}
