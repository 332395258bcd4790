package dev.concat.workflows;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.JobTimeouts;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.rules.JobIds;
import dev.concat.contract.rules.OutputObjectRules;
import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds what is wrong with a request before any work starts: the one set of rules for its fields
 * (what the worker's operator allows is {@link OperatorLimits}'). Pure and deterministic: the
 * workflow runs it at its start ({@link #requireValid}), so any client gets the same answer, and
 * the CLI runs it ({@link #problems}) before connecting, to fail sooner.
 */
public final class RequestValidator {
  /** Beyond this a job is almost certainly a mistake; FFmpeg's list file stays manageable. */
  public static final int MAX_SEGMENTS = 20_000;

  private RequestValidator() {}

  /**
   * Fails the job with {@code InvalidRequest} (not retryable), naming every problem, unless the
   * request can run.
   */
  public static void requireValid(ConcatRequest request, String workflowId) {
    List<String> problems = problems(request, workflowId);
    if (!problems.isEmpty()) {
      throw FailureType.INVALID_REQUEST.failure(
          FailureSubject.job(workflowId)
              .describe("invalid request: " + String.join("; ", problems)));
    }
  }

  /** Every problem found, each a sentence; empty when the request can run. */
  public static List<String> problems(ConcatRequest request, String workflowId) {
    List<String> problems = new ArrayList<>();
    if (request == null) {
      problems.add("the request is empty");
      return problems;
    }
    String jobId = request.jobId() == null ? workflowId : request.jobId();
    if (!JobIds.isValid(jobId)) {
      problems.add("job id '" + jobId + "' is invalid: use " + JobIds.rule());
    } else if (workflowId != null && !jobId.equals(workflowId)) {
      problems.add("job id '" + jobId + "' differs from the workflow id '" + workflowId + "'");
    }
    checkSegments(request.segments(), problems);
    OutputFormat format = checkOutput(request, problems);
    checkTimeouts(request.timeouts(), problems);
    problems.addAll(AudioRequestRules.problems(request, format));
    problems.addAll(OutputObjectRules.problems(request.outputObject(), "outputObject."));
    return problems;
  }

  private static void checkSegments(List<String> segments, List<String> problems) {
    if (segments == null || segments.isEmpty()) {
      problems.add("the segment list is empty");
      return;
    }
    if (segments.size() > MAX_SEGMENTS) {
      problems.add(segments.size() + " segments is more than the limit of " + MAX_SEGMENTS);
    }
    for (int i = 0; i < segments.size(); i++) {
      int index = i;
      S3Uri.problem(segments.get(i)).ifPresent(p -> problems.add("segment " + index + ": " + p));
    }
  }

  /** Checks the output and returns its format, or null when the output is invalid. */
  private static OutputFormat checkOutput(ConcatRequest request, List<String> problems) {
    var outputProblem = S3Uri.problem(request.output());
    if (outputProblem.isPresent()) {
      problems.add("output: " + outputProblem.get());
      return null;
    }
    OutputFormat format =
        OutputFormat.forExtension(S3Uri.parse(request.output()).extension()).orElse(null);
    if (format == null) {
      problems.add("output '" + request.output() + "' must end in .mp3 or .m4a");
    }
    if (request.segments() != null) {
      int same = request.segments().indexOf(request.output());
      if (same >= 0) {
        problems.add(
            "output '"
                + request.output()
                + "' is also segment "
                + same
                + "; it would overwrite an input");
      }
    }
    return format;
  }

  private static void checkTimeouts(JobTimeouts timeouts, List<String> problems) {
    if (timeouts == null) {
      return;
    }
    JobTimeouts t = timeouts.withDefaults();
    Map<String, Long> values = new LinkedHashMap<>();
    values.put("maxProcessingSeconds", t.maxProcessingSeconds());
    values.put("heartbeatSeconds", t.heartbeatSeconds());
    values.put("downloadSeconds", t.downloadSeconds());
    values.put("concatSeconds", t.concatSeconds());
    values.put("uploadSeconds", t.uploadSeconds());
    values.put("hostScheduleToStartSeconds", t.hostScheduleToStartSeconds());
    values.put("hostAttempts", t.hostAttempts().longValue());
    values.forEach(
        (name, value) -> {
          if (value <= 0) {
            problems.add("timeouts." + name + " must be positive, not " + value);
          }
        });
  }
}
