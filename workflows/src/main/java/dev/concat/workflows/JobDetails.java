package dev.concat.workflows;

import dev.concat.contract.ConcatStatus;

/**
 * The job at a glance for the Web UI's workflow page (the workflow's current details, shown without
 * opening the Queries tab): state, segments done, worker and last error.
 */
final class JobDetails {
  private JobDetails() {}

  static String of(ConcatStatus s) {
    StringBuilder text = new StringBuilder("**").append(s.state()).append("**");
    if (s.attempt() > 0) {
      text.append(" (attempt ").append(s.attempt()).append(" on ").append(s.worker()).append(")");
    }
    // "3 of 10", not "3/10": the UI's markdown turns a slash between digits into a fraction.
    text.append("\n\nsegments: ")
        .append(s.segmentsDownloaded())
        .append(" of ")
        .append(s.segmentsTotal())
        .append(" downloaded, ")
        .append(s.segmentsConcatenated())
        .append(" of ")
        .append(s.segmentsTotal())
        .append(" concatenated");
    if (s.bytesUploaded() > 0) {
      text.append(", ").append(s.bytesUploaded()).append(" bytes uploaded");
    }
    text.append("\n\nlast progress: ").append(s.lastProgressAt());
    if (s.lastError() != null) {
      text.append("\n\nlast error: ").append(s.lastError());
    }
    if (s.result() != null) {
      text.append("\n\noutput: ")
          .append(s.result().output())
          .append(" (")
          .append(String.format(java.util.Locale.ROOT, "%.2f", s.result().durationSeconds()))
          .append(" s, ")
          .append(s.result().sizeBytes())
          .append(" bytes)");
    }
    return text.toString();
  }
}
