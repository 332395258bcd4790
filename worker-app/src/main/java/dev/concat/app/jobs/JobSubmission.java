package dev.concat.app.jobs;

import dev.concat.app.ExitCodes;
import dev.concat.app.progress.ProgressView;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatStatus;
import io.temporal.client.WorkflowClient;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Submits a planned job: stages its local files, starts it once, and optionally follows it to the
 * end.
 */
public final class JobSubmission {
  private static final Logger log = LoggerFactory.getLogger(JobSubmission.class);
  private final WorkflowClient client;
  private final String taskQueue;
  private final Supplier<SharedS3Clients> s3;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  /** {@code s3} is asked for only when there are local files to upload. */
  public JobSubmission(
      WorkflowClient client,
      String taskQueue,
      Supplier<SharedS3Clients> s3,
      PrintStream out,
      PrintStream err,
      boolean terminal) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.s3 = s3;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Returns the exit code. With {@code wait}, follows the job to its end and prints its status as
   * JSON on stdout. The plan's problems are the caller's to report; a plan with any is refused.
   */
  public int submit(SubmitPlan plan, boolean wait) throws InterruptedException {
    boolean staged = start(plan);
    return wait ? JobReport.print(follow(plan, staged), out, err) : ExitCodes.OK;
  }

  /** Submits and follows the job to its end; returns its final status without printing it. */
  public ConcatStatus submitAndFollow(SubmitPlan plan) throws InterruptedException {
    return follow(plan, start(plan));
  }

  /**
   * Starts the job unless it already runs or completed; returns whether this call staged the plan's
   * local files.
   */
  private boolean start(SubmitPlan plan) throws InterruptedException {
    if (!plan.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid request: " + String.join("; ", plan.problems()));
    }
    ConcatRequest request = plan.request();
    JobStarter starter = new JobStarter(client, taskQueue);
    // Checked before staging so a resubmission does not upload its files again for nothing.
    Optional<JobStarter.Outcome> existing = starter.existing(request.jobId());
    JobStarter.Outcome outcome =
        existing.isPresent() ? existing.get() : stageAndStart(plan, starter);
    switch (outcome) {
      case STARTED ->
          err.println(
              "job "
                  + request.jobId()
                  + " started: "
                  + request.segments().size()
                  + " segments -> "
                  + request.output());
      case ALREADY_RUNNING ->
          err.println("job " + request.jobId() + " is already running; not starting it again");
      case ALREADY_COMPLETED ->
          err.println("job " + request.jobId() + " already completed; not running it again");
    }
    return existing.isEmpty();
  }

  /** Watches the job to its end, then removes the staged copies: the job no longer needs them. */
  private ConcatStatus follow(SubmitPlan plan, boolean staged) throws InterruptedException {
    ConcatStatus status = new JobWatcher(client, err, terminal).watch(plan.request().jobId());
    if (staged && !plan.uploads().isEmpty()) {
      new SegmentStager(s3.get()).remove(plan.uploads());
    }
    if (staged && plan.cover() != null) {
      removeCover(plan.cover());
    }
    return status;
  }

  private JobStarter.Outcome stageAndStart(SubmitPlan plan, JobStarter starter)
      throws InterruptedException {
    if (!plan.uploads().isEmpty()) {
      String target =
          "s3://"
              + plan.uploads().get(0).target().bucket()
              + "/"
              + LocalSegment.STAGING_PREFIX
              + plan.request().jobId()
              + "/";
      err.println("uploading " + plan.uploads().size() + " local segments to " + target);
      try (ProgressView view = ProgressView.on(err, terminal, "upload")) {
        new SegmentStager(s3.get()).upload(plan.uploads(), view);
      }
    }
    if (plan.cover() != null) {
      uploadCover(plan.cover());
    }
    return starter.start(plan.request());
  }

  /** One small file: a plain PUT, without the transfer manager's parallel parts. */
  private void uploadCover(LocalCover cover) {
    err.println("uploading cover " + cover.file() + " to " + cover.target());
    try {
      s3.get()
          .client()
          .putObject(
              put -> put.bucket(cover.target().bucket()).key(cover.target().key()),
              RequestBody.fromFile(cover.file()));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "uploading cover '"
              + cover.file()
              + "' to "
              + cover.target()
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  /** A failure is only logged, since the job itself is already over. */
  private void removeCover(LocalCover cover) {
    try {
      s3.get()
          .client()
          .deleteObject(delete -> delete.bucket(cover.target().bucket()).key(cover.target().key()));
    } catch (RuntimeException e) {
      log.warn("staged cover {} not deleted: {}", cover.target(), e.toString());
    }
  }
}
