package dev.concat.workflows;

import java.util.List;

/**
 * A job: join {@code segments}, in order, into {@code output}. This is the JSON contract any
 * Temporal client uses to start {@code ConcatWorkflow}; only the first three fields are required.
 *
 * @param jobId the job id, also the workflow id
 * @param segments the inputs' S3 URIs in playing order
 * @param output the output's S3 URI; {@code .mp3} or {@code .m4a}
 * @param allowStreamCopy join without re-encoding when all inputs share codec, rate and
 *     channels and match the output; MP3 copy leaves a short gap at every join (default false)
 * @param timeouts per-job timeouts; null means all defaults
 */
public record ConcatRequest(
    String jobId, List<String> segments, String output, Boolean allowStreamCopy, JobTimeouts timeouts) {

  public ConcatRequest(String jobId, List<String> segments, String output) {
    this(jobId, segments, output, null, null);
  }

  public boolean streamCopyAllowed() {
    return Boolean.TRUE.equals(allowStreamCopy);
  }

  public JobTimeouts effectiveTimeouts() {
    return timeouts == null ? JobTimeouts.DEFAULTS : timeouts.withDefaults();
  }
}
