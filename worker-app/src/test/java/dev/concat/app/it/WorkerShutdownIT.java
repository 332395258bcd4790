package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as a deploy sends it: the worker stops its FFmpeg, hands the job back and exits
 * promptly.
 */
@Timeout(120)
class WorkerShutdownIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void aWorkerStoppedMidConcatExitsPromptlyAndItsJobCompletesElsewhere() {
    AudioSet audio = AudioSet.sines(6, 5.0);
    String jobId = "sigterm-mid-concat";
    String outputKey = "out/" + jobId + ".mp3";
    WorkerJvm a = stack.startWorker("A", stack.slowFfmpeg());
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey))
                .build());
    stack
        .jobs()
        .awaitStatus(
            jobId,
            "concatenating on A",
            s -> s.state() == JobState.CONCATENATING && a.identity().equals(s.worker()),
            Duration.ofSeconds(60));
    Orphans.awaitFfmpeg(a.workDir(), Duration.ofSeconds(10));
    WorkerJvm b = stack.startWorker("B");
    Path jobDir = a.workDir().resolve("jobs").resolve(jobId);
    assertTrue(Files.isDirectory(jobDir), "A is working in " + jobDir);

    long terminated = System.nanoTime();
    a.sigterm();
    Duration exited = a.awaitExit(Duration.ofSeconds(60));
    List<Orphans.Proc> leftAtExit = Orphans.processes(a.workDir());
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(60));
    Duration completed = Reliability.since(terminated);

    assertEquals(List.of(), leftAtExit, "A's FFmpeg and its children are gone when A has exited");
    assertFalse(
        Files.exists(jobDir),
        "A deleted the job's work directory: " + Orphans.leftoverFiles(a.workDir()));
    a.awaitLog(
        "job " + jobId + ": concat interrupted because worker \\S+ is shutting down",
        Duration.ofSeconds(1));
    ConcatStatus done = stack.jobs().status(jobId);
    assertEquals(JobState.COMPLETED, done.state(), done::toString);
    assertEquals(b.identity(), done.worker(), "B finished the job");
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    double decoded =
        SampleAudio.decodedSeconds(stack.s3().download(outputKey, downloads.resolve("out.mp3")));
    assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
    Reliability.record(
        "worker-sigterm",
        "exit_seconds",
        exited,
        "exit_code",
        a.exitCode(),
        "complete_seconds",
        completed,
        "attempts",
        done.attempt());
    assertTrue(
        exited.compareTo(Duration.ofSeconds(10)) <= 0,
        "A took " + exited + " to exit after SIGTERM");
  }
}
