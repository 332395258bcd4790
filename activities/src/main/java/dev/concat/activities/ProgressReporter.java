package dev.concat.activities;

import dev.concat.contract.ProgressUpdate;

/** Delivers an activity's progress to its job's workflow. */
@FunctionalInterface
public interface ProgressReporter {
  void report(String jobId, ProgressUpdate update);
}
