package dev.concat.workflows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.ProgressUpdate;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * The progress a job's activities send it: through the {@code reportProgress} update carrying the
 * running attempt's token, or, in histories from before that channel, the progress signal. Bad
 * progress changes nothing; the first of a job is logged, so that a flood cannot fill the logs.
 */
final class ProgressIntake {
  private static final Logger log = Workflow.getLogger(ProgressIntake.class);

  /**
   * Reads a legacy progress signal's value; immutable once built, so sharing it is deterministic.
   */
  private static final ObjectMapper SIGNAL_JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final String jobId;
  private final JobProgress progress;
  private boolean tokenChannel;
  private String token;
  private boolean rejectionLogged;

  ProgressIntake(String jobId, JobProgress progress) {
    this.jobId = jobId;
    this.progress = progress;
  }

  /**
   * From now on progress comes through the update, with each attempt's token ({@code true}), or
   * through the signal. Until this is called (no host run yet) the job takes none at all.
   */
  void open(boolean tokenChannel) {
    this.tokenChannel = tokenChannel;
  }

  /** Whether progress comes through the update, with each attempt's token. */
  boolean tokenChannel() {
    return tokenChannel;
  }

  /**
   * A new attempt starts: it draws the token its activities send progress with ({@link #token()}),
   * or none on the signal channel.
   */
  void startAttempt() {
    token = tokenChannel ? Workflow.randomUUID().toString() : null;
  }

  /** The running attempt's token; null between attempts or on the signal channel. */
  String token() {
    return token;
  }

  /** The attempt ended: progress sent with its token is refused from now on. */
  void endAttempt() {
    token = null;
  }

  /** The legacy signal's value. */
  void signalled(Object signalled) {
    if (tokenChannel) {
      rejected(
          "progress signal ignored: this job takes progress only through the "
              + ProgressUpdate.UPDATE
              + " update");
      return;
    }
    ProgressUpdate update;
    try {
      update = signalled == null ? null : SIGNAL_JSON.convertValue(signalled, ProgressUpdate.class);
    } catch (IllegalArgumentException malformed) {
      rejected("malformed progress signal: " + malformed.getMessage());
      return;
    }
    String rejection = progress.rejection(update, null, Workflow.currentTimeMillis());
    if (rejection != null) {
      rejected(rejection);
      return;
    }
    progress.apply(update, Workflow.currentTimeMillis());
  }

  /** The update's validator: refuses (throws) what {@link #apply} would not take. */
  void validate(ProgressUpdate update) {
    String rejection = rejection(update);
    if (rejection != null) {
      if (!progress.isLate(update)) {
        rejected(rejection);
      }
      throw new IllegalArgumentException(FailureSubject.job(jobId).describe(rejection));
    }
  }

  /** The update's handler, for what the validator accepted. */
  void apply(ProgressUpdate update) {
    // Checked again because handlers must never throw, whatever comes.
    if (rejection(update) == null) {
      progress.apply(update, Workflow.currentTimeMillis());
    }
  }

  private String rejection(ProgressUpdate update) {
    if (!tokenChannel) {
      return "this job takes no " + ProgressUpdate.UPDATE + " update";
    }
    if (token == null) {
      return "no attempt is running";
    }
    return progress.rejection(update, token, Workflow.currentTimeMillis());
  }

  private void rejected(String why) {
    if (!rejectionLogged) {
      rejectionLogged = true;
      log.warn("job {}: {}; further rejected progress of this job is not logged", jobId, why);
    }
  }
}
