package dev.concat.contract;

/**
 * What a failure is about, named the same way in every message: the job, and where it applies the
 * segment (index and URI), cover image or output, as in {@code job ep-1: segment 2
 * (s3://media/ep-1/2.mp3) does not exist}.
 *
 * @param jobId the job's id
 * @param part the segment, cover image or output, or {@code null} when the failure is the job's as
 *     a whole
 */
public record FailureSubject(String jobId, String part) {

  public static FailureSubject job(String jobId) {
    return new FailureSubject(jobId, null);
  }

  public static FailureSubject segment(String jobId, int index, Object uri) {
    return new FailureSubject(jobId, "segment " + index + " (" + uri + ")");
  }

  public static FailureSubject cover(String jobId, Object uri) {
    return new FailureSubject(jobId, "cover image " + uri);
  }

  public static FailureSubject output(String jobId, Object uri) {
    return new FailureSubject(jobId, "output " + uri);
  }

  /**
   * How every message about it begins: {@code job ep-1}, or {@code job ep-1: segment 2 (s3://...)}.
   */
  public String prefix() {
    return part == null ? "job " + jobId : "job " + jobId + ": " + part;
  }

  /**
   * A message about it: {@code job ep-1: <what>} for the job, and for a part of it the part is the
   * sentence's subject, {@code job ep-1: segment 2 (s3://...) <what>}.
   */
  public String describe(String what) {
    return part == null ? prefix() + ": " + what : prefix() + " " + what;
  }
}
