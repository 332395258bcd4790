package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.Executables;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: 20 jobs submitted at once to 3 workers (3 hosts, 2 job slots each) while a bounded chaos
 * loop kills, stops and terminates workers at random and brings them back. Every job must complete
 * with the right duration, and afterwards no FFmpeg may run and no file may be left in any work
 * directory, no object at an output key may be partial and no multipart upload open. Not part of
 * {@code mvn -B verify}: it runs with the {@code soak} profile. The seed is printed; {@code
 * -Dconcat.soak.seed=N} replays a run's choices, {@code -Dconcat.soak.seconds=S} sets the chaos
 * length (75 s by default).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChaosSoakIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  private static final int JOBS = 20;
  private static final List<String> WORKERS = List.of("A", "B", "C");

  /** Segment lengths; each job takes 4 to 6 segments from these, so jobs last 35 s to 65 s. */
  private static final double[] SEGMENT_SECONDS = {5.0, 7.5, 10.0, 12.5, 15.0};

  private static final int SEGMENTS_PER_SET = 6;

  /** Short, so killed and stopped workers are noticed within seconds. */
  private static final long HEARTBEAT_SECONDS = 5;

  /**
   * FFmpeg reads its input at 4 times playing speed, so a join lasts 9 to 16 s and the chaos finds
   * jobs in every phase; at full speed the whole batch would be done in seconds.
   */
  private static final String READ_RATE = "4";

  private static final Duration RESTORE_LIMIT = Duration.ofSeconds(60);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(180);

  /** Longer than the 5 s sweep interval plus a slow workflow's last cleanup. */
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);

  /** After a failed settle, how much longer to watch, to tell a slow cleanup from a leak. */
  private static final Duration SETTLE_OBSERVE = Duration.ofSeconds(90);

  private static final double TOLERANCE_SECONDS = 0.1;

  @TempDir Path tools;
  @TempDir Path downloads;

  /** One job of the batch and the duration its output must have. */
  private record SoakJob(
      String id, List<String> segments, String outputKey, double expectedSeconds) {}

  /** How a job ended: its result when it completed, otherwise why not. */
  private record Outcome(
      SoakJob job, ConcatResult result, ConcatStatus status, String failure, Instant closedAt) {
    boolean completed() {
      return result != null;
    }
  }

  @Test
  void twentyJobsCompleteWhileWorkersAreKilledStoppedAndRestarted() {
    long seed = Long.getLong("concat.soak.seed", System.currentTimeMillis());
    Duration chaosLength = Duration.ofSeconds(Long.getLong("concat.soak.seconds", 75));
    System.out.println(
        "ChaosSoakIT seed="
            + seed
            + " (replay with -Dconcat.soak.seed="
            + seed
            + ") chaos="
            + chaosLength.toSeconds()
            + "s");
    List<SoakJob> jobs = prepareJobs();
    List<String> problems = new ArrayList<>();

    try (WorkerFleet fleet = WorkerFleet.start(stack, WORKERS, workerEnvironment())) {
      Instant submitted = Instant.now();
      jobs.forEach(job -> stack.jobs().start(request(job)));
      fleet.log("submitted " + jobs.size() + " jobs");
      ChaosLoop.Report chaos =
          new ChaosLoop(fleet, seed, Duration.ofSeconds(HEARTBEAT_SECONDS)).run(chaosLength);
      List<Path> workDirs = fleet.members().stream().map(WorkerFleet.Member::workDir).toList();
      // What the checks below must see go: they look in the right places.
      HostLeftovers atChaosEnd = HostLeftovers.now(workDirs, Duration.ZERO);
      fleet.log(
          "at the end of the chaos: "
              + atChaosEnd.fileCount()
              + " files in the work directories, "
              + atChaosEnd.ffmpegCount()
              + " FFmpeg running");
      fleet.restoreAll(RESTORE_LIMIT);
      Map<String, Outcome> outcomes = awaitClosed(jobs, fleet);
      outcomes.values().forEach(o -> System.out.println(summary(o, submitted)));
      HostLeftovers left = awaitSettled(workDirs, SETTLE_LIMIT, fleet);
      if (!left.none()) {
        problems.add(
            "left after "
                + SETTLE_LIMIT.toSeconds()
                + " s: files "
                + left.files()
                + ", processes "
                + left.processes()
                + "; "
                + observeFurther(workDirs, fleet));
      }
      problems.addAll(fleet.problems());
      problems.addAll(checkOutcomes(outcomes.values()));
      problems.addAll(checkStoredOutputs(outcomes.values()));
      problems.addAll(checkDecodedDurations(outcomes.values(), new Random(seed)));

      List<Outcome> completed = outcomes.values().stream().filter(Outcome::completed).toList();
      Instant lastClosed =
          outcomes.values().stream()
              .map(Outcome::closedAt)
              .filter(t -> t != null)
              .max(Comparator.naturalOrder())
              .orElse(null);
      boolean allClosed = outcomes.values().stream().allMatch(o -> o.closedAt() != null);
      Map<String, Object> numbers = new LinkedHashMap<>();
      numbers.put("seed", seed);
      numbers.put("workers", WORKERS.size());
      numbers.put("jobs_submitted", jobs.size());
      numbers.put("jobs_completed", completed.size());
      numbers.put("chaos_seconds", chaos.length());
      numbers.put("kill9", chaos.count(ChaosLoop.Fault.KILL9));
      numbers.put("sigstop", chaos.count(ChaosLoop.Fault.SIGSTOP));
      numbers.put("sigstop_past_heartbeat", chaos.stopsPastHeartbeat());
      numbers.put("sigterm", chaos.count(ChaosLoop.Fault.SIGTERM));
      numbers.put("skipped", chaos.skipped());
      numbers.put("worker_restarts", fleet.restarts());
      numbers.put("sigterm_exit_max_seconds", fleet.longestSigtermExit());
      numbers.put(
          "attempts_max",
          outcomes.values().stream().mapToInt(ChaosSoakIT::attempt).max().orElse(0));
      numbers.put(
          "attempts_total", outcomes.values().stream().mapToInt(ChaosSoakIT::attempt).sum());
      numbers.put(
          "all_closed_seconds",
          allClosed && lastClosed != null
              ? Duration.between(submitted, lastClosed)
              : "not-all-closed");
      numbers.put("settle_seconds", left.none() ? left.waited() : "unsettled");
      numbers.put("files_at_chaos_end", atChaosEnd.fileCount());
      numbers.put("ffmpeg_at_chaos_end", atChaosEnd.ffmpegCount());
      numbers.put("orphan_processes", left.processCount());
      numbers.put("orphan_ffmpeg", left.ffmpegCount());
      numbers.put("leftover_files", left.fileCount());
      numbers.put("problems", problems.size());
      Reliability.record("chaos-soak", numbers);
    }
    assertTrue(
        problems.isEmpty(),
        () ->
            problems.size()
                + " problems (seed "
                + seed
                + "):\n  - "
                + String.join("\n  - ", problems));
  }

  /**
   * Job i has 4 to 6 segments taken in turn from the five sets of lengths, starting at a different
   * one each time, so the jobs' durations differ; each job has its own copies.
   */
  private List<SoakJob> prepareJobs() {
    List<AudioSet> sets = new ArrayList<>();
    for (double seconds : SEGMENT_SECONDS) {
      sets.add(AudioSet.sines(SEGMENTS_PER_SET, seconds));
    }
    List<SoakJob> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String id = String.format(Locale.ROOT, "soak-%02d", i + 1);
      int count = 4 + i % 3;
      List<String> segments = new ArrayList<>();
      double expected = 0;
      for (int k = 0; k < count; k++) {
        AudioSet set = sets.get((i + k) % sets.size());
        segments.add(stack.s3().put(id + "/" + k + ".mp3", set.files().get(k)));
        // Every segment of a set has the same length and encoder, so each decodes to the set's
        // mean.
        expected += set.totalSeconds() / set.files().size();
      }
      jobs.add(new SoakJob(id, segments, "out/" + id + ".mp3", expected));
    }
    return jobs;
  }

  private static ConcatRequest request(SoakJob job) {
    // 10 runs instead of 3: the chaos loop kills and stops workers far more often than real life.
    var timeouts = new JobTimeouts(600L, HEARTBEAT_SECONDS, null, null, null, null, 10);
    return ConcatRequest.builder(job.id())
        .segments(job.segments())
        .output(S3Fixture.uri(job.outputKey()))
        .allowStreamCopy(false)
        .timeouts(timeouts)
        .build();
  }

  private Map<String, String> workerEnvironment() {
    Path script = tools.resolve("ffmpeg-fast-playback.sh");
    try {
      // exec: FFmpeg itself is the process the worker started, as without the wrapper.
      Files.writeString(
          script,
          "#!/bin/sh\nexec "
              + Executables.require("ffmpeg")
              + " -readrate "
              + READ_RATE
              + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "FFMPEG_PATH", script.toString(),
        "FFPROBE_PATH", Executables.require("ffprobe").toString(),
        // Leftovers of killed runs go within seconds, so the test can wait for them to go.
        "CONCAT_SWEEP_INTERVAL", "5s");
  }

  /**
   * Waits until every job has closed or {@link #CLOSE_LIMIT} has passed; workers that die meanwhile
   * come back.
   */
  private static Map<String, Outcome> awaitClosed(List<SoakJob> jobs, WorkerFleet fleet) {
    long deadline = System.nanoTime() + CLOSE_LIMIT.toNanos();
    Map<String, Instant> closedAt = new LinkedHashMap<>();
    fleet.log("waiting for the jobs to close");
    while (closedAt.size() < jobs.size() && System.nanoTime() < deadline) {
      for (SoakJob job : jobs) {
        if (!closedAt.containsKey(job.id())) {
          WorkflowExecutionDescription description = stack.jobs().untyped(job.id()).describe();
          if (description.getStatus()
              != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            closedAt.put(job.id(), description.getCloseTime());
          }
        }
      }
      fleet.tick();
      WorkerFleet.pause(500);
    }
    fleet.log(closedAt.size() + " of " + jobs.size() + " jobs closed");
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (SoakJob job : jobs) {
      outcomes.put(job.id(), outcome(job, closedAt.get(job.id())));
    }
    return outcomes;
  }

  private static Outcome outcome(SoakJob job, Instant closedAt) {
    ConcatStatus status = statusOrNull(job.id());
    if (closedAt == null) {
      return new Outcome(
          job, null, status, "not closed within " + CLOSE_LIMIT.toSeconds() + " s", null);
    }
    try {
      ConcatResult result = stack.jobs().awaitResult(job.id(), Duration.ofSeconds(10));
      return new Outcome(job, result, status, null, closedAt);
    } catch (WorkflowException e) {
      return new Outcome(job, null, status, causes(e), closedAt);
    }
  }

  /** The status query, answered by a worker replaying the job; null if none answers. */
  private static ConcatStatus statusOrNull(String jobId) {
    try {
      return stack.jobs().awaitStatus(jobId, "answered", s -> true, Duration.ofSeconds(20));
    } catch (AssertionError unanswered) {
      return null;
    }
  }

  /** Every job completed, with the duration of its inputs. */
  private static List<String> checkOutcomes(Iterable<Outcome> outcomes) {
    List<String> problems = new ArrayList<>();
    for (Outcome o : outcomes) {
      String context = "status " + (o.status() == null ? "unanswered" : o.status());
      if (!o.completed()) {
        problems.add(
            "job "
                + o.job().id()
                + " did not complete: "
                + o.failure()
                + "; lastError "
                + (o.status() == null ? "?" : o.status().lastError())
                + "; "
                + context);
      } else if (o.status() != null && o.status().state() != JobState.COMPLETED) {
        problems.add(
            "job " + o.job().id() + " returned a result but its status says " + o.status().state());
      } else if (Math.abs(o.result().durationSeconds() - o.job().expectedSeconds())
          > TOLERANCE_SECONDS) {
        problems.add(
            String.format(
                Locale.ROOT,
                "job %s: reported duration %.3f s, inputs sum to %.3f s; %s",
                o.job().id(),
                o.result().durationSeconds(),
                o.job().expectedSeconds(),
                context));
      }
    }
    return problems;
  }

  /**
   * The object at each completed job's key is whole (the size the job reported) and no upload is
   * open.
   */
  private static List<String> checkStoredOutputs(Iterable<Outcome> outcomes) {
    List<String> problems = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (!o.completed()) {
        continue;
      }
      if (!stack.s3().exists(o.job().outputKey())) {
        problems.add(
            "job " + o.job().id() + " completed but nothing is stored at " + o.job().outputKey());
        continue;
      }
      long stored =
          stack
              .s3()
              .client()
              .headObject(b -> b.bucket(S3Fixture.BUCKET).key(o.job().outputKey()))
              .contentLength();
      if (stored != o.result().sizeBytes()) {
        problems.add(
            "job "
                + o.job().id()
                + ": "
                + stored
                + " bytes stored at "
                + o.job().outputKey()
                + ", the job reported "
                + o.result().sizeBytes());
      }
    }
    var open = stack.s3().inProgressUploads();
    if (!open.isEmpty()) {
      problems.add(
          open.size()
              + " multipart uploads left open: "
              + open.stream()
                  .map(u -> u.key() + " (" + u.uploadId() + ", " + u.initiated() + ")")
                  .toList());
    }
    return problems;
  }

  /** Decodes three stored outputs (the first job, the longest, one picked by the seed). */
  private List<String> checkDecodedDurations(Iterable<Outcome> outcomes, Random random) {
    List<Outcome> completed = new ArrayList<>();
    outcomes.forEach(
        o -> {
          if (o.completed() && stack.s3().exists(o.job().outputKey())) {
            completed.add(o);
          }
        });
    if (completed.isEmpty()) {
      return List.of();
    }
    Set<Outcome> picked = new LinkedHashSet<>();
    picked.add(completed.get(0));
    picked.add(
        completed.stream()
            .max(Comparator.comparingDouble(o -> o.job().expectedSeconds()))
            .orElseThrow());
    picked.add(completed.get(random.nextInt(completed.size())));
    List<String> problems = new ArrayList<>();
    for (Outcome o : picked) {
      Path file =
          stack.s3().download(o.job().outputKey(), downloads.resolve(o.job().id() + ".mp3"));
      double decoded = SampleAudio.decodedSeconds(file);
      System.out.printf(
          Locale.ROOT,
          "ChaosSoakIT %s decodes to %.3f s (inputs %.3f s)%n",
          o.job().id(),
          decoded,
          o.job().expectedSeconds());
      if (Math.abs(decoded - o.job().expectedSeconds()) > TOLERANCE_SECONDS) {
        problems.add(
            String.format(
                Locale.ROOT,
                "job %s: the stored output decodes to %.3f s, inputs sum to %.3f s",
                o.job().id(),
                decoded,
                o.job().expectedSeconds()));
      }
    }
    return problems;
  }

  /** Waits until no work directory holds a file or is named by a running process. */
  private static HostLeftovers awaitSettled(
      List<Path> workDirs, Duration limit, WorkerFleet fleet) {
    HostLeftovers left = HostLeftovers.awaitNone(workDirs, limit, fleet::tick);
    fleet.log(
        "work directories "
            + (left.none() ? "empty" : "NOT empty")
            + " after "
            + left.waited().toSeconds()
            + " s");
    return left;
  }

  /** Keeps watching unsettled work directories, so the report tells a slow cleanup from a leak. */
  private static String observeFurther(List<Path> workDirs, WorkerFleet fleet) {
    HostLeftovers later = awaitSettled(workDirs, SETTLE_OBSERVE, fleet);
    return later.none()
        ? "all gone " + later.waited().toSeconds() + " s later"
        : "still there "
            + SETTLE_OBSERVE.toSeconds()
            + " s later: files "
            + later.files()
            + ", processes "
            + later.processes();
  }

  private static String summary(Outcome o, Instant submitted) {
    ConcatStatus status = o.status();
    return String.format(
        Locale.ROOT,
        "ChaosSoakIT %s inputs=%.3fs %s closed=%s attempts=%s worker=%s duration=%s "
            + "lastError=%s",
        o.job().id(),
        o.job().expectedSeconds(),
        status == null ? "status-unanswered" : status.state(),
        o.closedAt() == null
            ? "no"
            : String.format(
                Locale.ROOT,
                "+%.1fs",
                Reliability.seconds(Duration.between(submitted, o.closedAt()))),
        status == null ? "?" : status.attempt(),
        status == null ? "?" : status.worker(),
        o.completed() ? String.format(Locale.ROOT, "%.3fs", o.result().durationSeconds()) : "-",
        status == null || status.lastError() == null ? "-" : "\"" + status.lastError() + "\"");
  }

  private static int attempt(Outcome outcome) {
    return outcome.status() == null ? 0 : outcome.status().attempt();
  }

  /** The workflow failure and its causes, one line: what the job's client would read. */
  private static String causes(Throwable failure) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = failure; t != null && parts.size() < 6; t = t.getCause()) {
      String message =
          t instanceof ApplicationFailure app
              ? app.getType() + ": " + app.getOriginalMessage()
              : t.getMessage();
      parts.add(t.getClass().getSimpleName() + "(" + message + ")");
    }
    return String.join(" <- ", parts);
  }
}
