package dev.concat.contract;

/** Where a job is. The last three are terminal. */
public enum JobState {
  PENDING,
  DOWNLOADING,
  CONCATENATING,
  UPLOADING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
