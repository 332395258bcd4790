package dev.concat.app.jobs;

/** No workflow exists with the job's id. */
public final class JobNotFoundException extends RuntimeException {
  public JobNotFoundException(String jobId, String namespace) {
    super("no job with id '" + jobId + "' in namespace '" + namespace + "'");
  }
}
