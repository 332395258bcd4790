package dev.concat.contract.policy;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a job against its {@link OperatorPolicy}. Pure: the workflow runs it before any activity,
 * and the activities run the location part again before any S3 call, so a job started before the
 * workflow checked (or by any other path) is held to the same rule.
 */
public final class PolicyChecks {
  public static final String ALLOWED_INPUTS = "CONCAT_ALLOWED_INPUTS (--allowed-inputs)";
  public static final String ALLOWED_OUTPUTS = "CONCAT_ALLOWED_OUTPUTS (--allowed-outputs)";
  public static final String MAX_SEGMENTS = "CONCAT_MAX_SEGMENTS (--max-segments)";
  public static final String MAX_INPUT_BYTES = "CONCAT_MAX_INPUT_BYTES (--max-input-bytes)";
  public static final String MAX_DECODED_SECONDS =
      "CONCAT_MAX_DECODED_SECONDS (--max-decoded-seconds)";
  public static final String MAX_PROCESSING_SECONDS =
      "CONCAT_MAX_PROCESSING_SECONDS (--max-processing-seconds)";
  public static final String MAX_HEARTBEAT_SECONDS =
      "CONCAT_MAX_HEARTBEAT_SECONDS (--max-heartbeat-seconds)";
  public static final String MAX_HOST_ATTEMPTS = "CONCAT_MAX_HOST_ATTEMPTS (--max-host-attempts)";

  private PolicyChecks() {}

  /**
   * Every segment, cover and output of the job outside its allowed locations, each a sentence
   * naming the URI and the setting. URIs that do not parse are left to the request's validation.
   */
  public static List<String> locationProblems(
      OperatorPolicy policy, List<String> segments, String output, String cover) {
    List<String> problems = new ArrayList<>();
    AllowedLocations inputs = policy.inputs();
    if (segments != null) {
      for (int i = 0; i < segments.size(); i++) {
        outside(inputs, segments.get(i), "segment " + i, ALLOWED_INPUTS, problems);
      }
    }
    outside(inputs, cover, "cover image", ALLOWED_INPUTS, problems);
    outside(policy.outputs(), output, "output", ALLOWED_OUTPUTS, problems);
    return problems;
  }

  /**
   * Throws {@code LocationNotAllowed} (not retryable) naming the first location outside the policy.
   */
  public static void requireAllowedLocations(
      String jobId, OperatorPolicy policy, List<String> segments, String output, String cover) {
    List<String> problems = locationProblems(policy, segments, output, cover);
    if (!problems.isEmpty()) {
      throw notAllowed(jobId, problems);
    }
  }

  public static ApplicationFailure notAllowed(String jobId, List<String> problems) {
    return FailureType.LOCATION_NOT_ALLOWED.failure(
        FailureSubject.job(jobId).describe(summary(problems)));
  }

  /**
   * What a request asks beyond the ceilings; null arguments are the request's defaults, which the
   * ceilings' defaults cover.
   */
  public static List<String> ceilingProblems(
      OperatorPolicy policy,
      int segments,
      Long maxProcessingSeconds,
      Long heartbeatSeconds,
      Integer hostAttempts) {
    List<String> problems = new ArrayList<>();
    above(segments, policy.maxSegments(), segments + " segments", MAX_SEGMENTS, problems);
    above(
        maxProcessingSeconds,
        policy.maxProcessingSeconds(),
        "timeouts.maxProcessingSeconds " + maxProcessingSeconds,
        MAX_PROCESSING_SECONDS,
        problems);
    above(
        heartbeatSeconds,
        policy.maxHeartbeatSeconds(),
        "timeouts.heartbeatSeconds " + heartbeatSeconds,
        MAX_HEARTBEAT_SECONDS,
        problems);
    above(
        hostAttempts == null ? null : hostAttempts.longValue(),
        policy.maxHostAttempts(),
        "timeouts.hostAttempts " + hostAttempts,
        MAX_HOST_ATTEMPTS,
        problems);
    return problems;
  }

  /** A failure for a job past a ceiling the activities measure (bytes, decoded length). */
  public static ApplicationFailure limitExceeded(
      String jobId, String what, long limit, String setting) {
    return FailureType.LIMIT_EXCEEDED.failure(
        FailureSubject.job(jobId)
            .describe(what + " is more than the limit of " + limit + " set by " + setting));
  }

  /**
   * At most three problems, then how many more: a 20,000-segment job must not make a 2 MB message.
   */
  public static String summary(List<String> problems) {
    String shown = String.join("; ", problems.subList(0, Math.min(3, problems.size())));
    return problems.size() > 3 ? shown + "; and " + (problems.size() - 3) + " more" : shown;
  }

  private static void outside(
      AllowedLocations allowed, String text, String what, String setting, List<String> problems) {
    if (text == null || S3Uri.problem(text).isPresent()) {
      return;
    }
    if (!allowed.allows(S3Uri.parse(text))) {
      problems.add(
          what
              + " "
              + text
              + " is outside the allowed locations ("
              + setting
              + " = "
              + allowed.setting()
              + ")");
    }
  }

  private static void above(
      Number value, long limit, String what, String setting, List<String> problems) {
    if (value != null && value.longValue() > limit) {
      problems.add(what + " is more than the limit of " + limit + " set by " + setting);
    }
  }
}
