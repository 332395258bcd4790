package dev.concat.activities;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.rules.JobIds;
import dev.concat.contract.rules.S3Uri;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an activity's input and parses it, failing with {@code InvalidRequest} (not retryable).
 */
final class JobInputs {

  static String jobId(String jobId) {
    if (!JobIds.isValid(jobId)) {
      throw invalid("job id '" + jobId + "' is not " + JobIds.rule());
    }
    return jobId;
  }

  static List<S3Uri> segments(String jobId, List<String> segments) {
    if (segments == null || segments.isEmpty()) {
      throw invalid(FailureSubject.job(jobId).describe("the segment list is empty"));
    }
    List<S3Uri> uris = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      String text = segments.get(i);
      int index = i;
      S3Uri.problem(text)
          .ifPresent(
              p -> {
                throw invalid(FailureSubject.job(jobId).describe("segment " + index + " " + p));
              });
      uris.add(S3Uri.parse(text));
    }
    return uris;
  }

  static S3Uri output(String jobId, String output) {
    S3Uri.problem(output)
        .ifPresent(
            p -> {
              throw invalid(FailureSubject.job(jobId).describe("output " + p));
            });
    return S3Uri.parse(output);
  }

  static S3Uri cover(String jobId, String cover) {
    S3Uri.problem(cover)
        .ifPresent(
            p -> {
              throw invalid(FailureSubject.job(jobId).describe("cover image " + p));
            });
    return S3Uri.parse(cover);
  }

  static OutputFormat format(String jobId, S3Uri output) {
    return OutputFormat.forExtension(output.extension())
        .orElseThrow(
            () ->
                invalid(
                    FailureSubject.output(jobId, output)
                        .describe(
                            "must end in one of "
                                + Arrays.stream(OutputFormat.values())
                                    .map(f -> "." + f.extension())
                                    .toList())));
  }

  private static ApplicationFailure invalid(String message) {
    return FailureType.INVALID_REQUEST.failure(message);
  }

  private JobInputs() {}
}
