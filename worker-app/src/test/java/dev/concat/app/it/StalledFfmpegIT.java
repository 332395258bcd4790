package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.app.it.Orphans.Proc;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.Signals;
import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An FFmpeg that hangs (SIGSTOP) is noticed by its silence, killed, and its job run again. */
@Timeout(150)
class StalledFfmpegIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path downloads;

  @Test
  void aHungFfmpegIsKilledAndTheJobCompletesOnARerun() throws Exception {
    AudioSet audio = AudioSet.sines(3, 4.0);
    String jobId = "ffmpeg-hangs";
    String outputKey = "out/" + jobId + ".mp3";
    long heartbeatSeconds = 5;
    WorkerJvm a = stack.startWorker("A", stack.slowFfmpeg());
    var timeouts = new JobTimeouts(null, heartbeatSeconds, null, null, null, null, null);
    stack
        .jobs()
        .start(
            ConcatRequest.builder(jobId)
                .segments(audio.upload(stack.s3(), jobId))
                .output(S3Fixture.uri(outputKey))
                .allowStreamCopy(false)
                .timeouts(timeouts)
                .build());
    stack
        .jobs()
        .awaitStatus(
            jobId,
            "concatenating",
            s -> s.state() == JobState.CONCATENATING,
            Duration.ofSeconds(60));
    Proc ffmpeg = Orphans.awaitFfmpeg(a.workDir(), Duration.ofSeconds(10));
    ProcessHandle hung = ProcessHandle.of(ffmpeg.pid()).orElseThrow();

    long stopped = System.nanoTime();
    Signals.send(hung.pid(), "STOP");
    // B comes up while the silence is being noticed, so the rerun may land on either worker.
    WorkerJvm b = stack.startWorker("B");
    ConcatStatus rerun =
        stack
            .jobs()
            .awaitStatus(
                jobId, "run again after the stall", s -> s.attempt() >= 2, Duration.ofSeconds(60));
    Duration detected = Reliability.since(stopped);
    assertTrue(
        hung.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join() != null,
        "the stopped FFmpeg (pid " + ffmpeg.pid() + ") is killed");
    Duration killed = Reliability.since(stopped);
    ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(90));
    Duration completed = Reliability.since(stopped);

    assertTrue(
        rerun.lastError() != null
            && (rerun.lastError().contains("heartbeat")
                || rerun.lastError().contains("no progress")),
        () -> "the stall is the reported cause: " + rerun.lastError());
    assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.1, "reported duration");
    double decoded =
        SampleAudio.decodedSeconds(stack.s3().download(outputKey, downloads.resolve("out.mp3")));
    assertEquals(audio.totalSeconds(), decoded, 0.1, "decoded duration of the uploaded object");
    ConcatStatus done = stack.jobs().status(jobId);
    assertEquals(JobState.COMPLETED, done.state(), done::toString);
    assertEquals(List.of(), Orphans.processes(a.workDir()), "no FFmpeg left on A");
    assertEquals(List.of(), Orphans.processes(b.workDir()), "no FFmpeg left on B");
    // Recorded, not asserted: whether a rerun that lands on B leaves A's copy of the job behind.
    int leftOnA = Orphans.leftoverFiles(a.workDir()).size();
    Reliability.record(
        "ffmpeg-hangs",
        "heartbeat_timeout_seconds",
        heartbeatSeconds,
        "detect_seconds",
        detected,
        "ffmpeg_killed_seconds",
        killed,
        "complete_seconds",
        completed,
        "rerun_on",
        done.worker().equals(b.identity()) ? "B" : "A",
        "files_left_on_A",
        leftOnA,
        "last_error",
        "\"" + rerun.lastError() + "\"");
  }
}
