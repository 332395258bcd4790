package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ConcatHeartbeat;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.Processes;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.SlowFfmpeg;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Loudness;
import dev.concat.testkit.Signals;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFmpeg stopped mid-run by each of the ways a job can end early. FFmpeg reads at playing speed
 * here (9 s of audio) so the test acts while it runs; every case ends with no FFmpeg left.
 */
class ConcatInterruptionTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;
  Path workDir;
  List<String> segments = new ArrayList<>();
  AtomicLong outputMicros = new AtomicLong();
  AtomicReference<String> step = new AtomicReference<>();

  @BeforeEach
  void start() {
    workDir = temp.resolve("work");
    // A 2 s heartbeat timeout: cancellation arrives within ~2 s and it is also the stall limit.
    harness =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(workDir, SlowFfmpeg.script(temp.resolve("bin"))),
            s3,
            Duration.ofSeconds(2));
    for (int i = 0; i < 3; i++) {
      segments.add(
          s3.put(
              "slow/" + i + ".mp3",
              SampleAudio.sine(temp.resolve(i + ".mp3"), 3.0, 400 + 100 * i)));
    }
    harness.stub().download(new DownloadInput("slow", segments));
    harness
        .env()
        .setActivityHeartbeatListener(
            ConcatHeartbeat.class,
            beat -> {
              step.set(beat.step());
              outputMicros.set(beat.outputMicros());
            });
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void cancellationKillsFfmpegAndDeletesTheWorkDirectory() throws Exception {
    CompletableFuture<ConcatOutput> concat = startConcat();
    awaitFfmpegWriting();

    harness.env().requestCancelActivity();

    Throwable failure = failureOf(concat);
    assertInstanceOf(CanceledFailure.class, failure, failure.toString());
    assertNoFfmpegLeft();
    assertFalse(Files.exists(harness.jobDir("slow")), "work directory deleted");
  }

  @Test
  void shutdownKillsFfmpegCleansUpAndFailsWithWorkerShutdown() throws Exception {
    CompletableFuture<ConcatOutput> concat = startConcat();
    awaitFfmpegWriting();

    harness.stopJobs(Duration.ofSeconds(10));

    // stopJobs returns only after the activity cleaned up.
    assertNoFfmpegLeft();
    assertFalse(Files.exists(harness.jobDir("slow")), "work directory deleted");
    ApplicationFailure failure = applicationFailureOf(concat);
    assertEquals(FailureType.WORKER_SHUTDOWN.type(), failure.getType());
    assertTrue(
        failure
            .getOriginalMessage()
            .contains(
                "job slow: concat interrupted because worker "
                    + TestSettings.WORKER
                    + " is shutting down"),
        failure.getOriginalMessage());
  }

  @Test
  void stoppedFfmpegIsKilledAsStalled() throws Exception {
    CompletableFuture<ConcatOutput> concat = startConcat();
    ProcessHandle ffmpeg = awaitFfmpegWriting();

    Signals.send(ffmpeg.pid(), "STOP");

    ApplicationFailure failure = applicationFailureOf(concat);
    assertEquals(FailureType.FFMPEG_STALLED.type(), failure.getType());
    assertFalse(failure.isNonRetryable());
    assertNoFfmpegLeft();
    assertTrue(
        Files.exists(harness.jobDir("slow").resolve("segments/00000.mp3")),
        "segments kept for the retry");
  }

  @Test
  void ffmpegKilledFromOutsideIsReportedWithTheSignal() throws Exception {
    CompletableFuture<ConcatOutput> concat = startConcat();
    ProcessHandle ffmpeg = awaitFfmpegWriting();

    Signals.send(ffmpeg.pid(), "KILL");

    ApplicationFailure failure = applicationFailureOf(concat);
    assertEquals(FailureType.FFMPEG_KILLED.type(), failure.getType());
    assertTrue(failure.getOriginalMessage().contains("SIGKILL (9)"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("OOM killer"), failure.getOriginalMessage());
    assertNoFfmpegLeft();
  }

  /**
   * The first pass of a normalised join decodes into the Java meter's FIFO: cancelled, its FFmpeg
   * is killed and the meter's reader, blocked on the FIFO, ends with it.
   */
  @Test
  void cancellationDuringTheMeterPassEndsFfmpegAndTheMeter() throws Exception {
    CompletableFuture<ConcatOutput> concat = startNormalisedConcat();
    awaitFfmpegWriting();
    assertEquals("meter", step.get(), "the first pass is running");

    harness.env().requestCancelActivity();

    Throwable failure = failureOf(concat);
    assertInstanceOf(CanceledFailure.class, failure, failure.toString());
    assertNoFfmpegLeft();
    assertNoMeterThreadLeft();
    assertFalse(Files.exists(harness.jobDir("slow")), "work directory deleted");
  }

  /** A meter pass whose FFmpeg stops is killed as stalled, and its reader ends too. */
  @Test
  void aStoppedMeterPassIsKilledAsStalled() throws Exception {
    CompletableFuture<ConcatOutput> concat = startNormalisedConcat();
    ProcessHandle ffmpeg = awaitFfmpegWriting();
    assertEquals("meter", step.get(), "the first pass is running");

    Signals.send(ffmpeg.pid(), "STOP");

    ApplicationFailure failure = applicationFailureOf(concat);
    assertEquals(FailureType.FFMPEG_STALLED.type(), failure.getType());
    assertNoFfmpegLeft();
    assertNoMeterThreadLeft();
  }

  private CompletableFuture<ConcatOutput> startConcat() {
    var input = new ConcatInput("slow", segments, "s3://media/slow/out.mp3", false);
    return CompletableFuture.supplyAsync(() -> harness.stub().concat(input));
  }

  private CompletableFuture<ConcatOutput> startNormalisedConcat() {
    var audio = new AudioSpec(null, new Loudness(null, null), null, 0, 0, null, List.of());
    var input = new ConcatInput("slow", segments, "s3://media/slow/out.mp3", false, audio);
    return CompletableFuture.supplyAsync(() -> harness.stub().concat(input));
  }

  private static void assertNoMeterThreadLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (meterThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, meterThreads(), "threads still reading the meter's FIFO");
  }

  private static long meterThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("join-meter-"))
        .count();
  }

  /**
   * Waits until FFmpeg runs and a heartbeat reported output time, so the interruption hits it
   * mid-run. (The output file's size is no sign: FFmpeg writes MP3 in 256 KiB chunks.)
   */
  private ProcessHandle awaitFfmpegWriting() throws Exception {
    ProcessHandle ffmpeg =
        Processes.awaitFfmpeg(workDir.toString(), Duration.ofSeconds(10)).orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (outputMicros.get() <= 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(outputMicros.get() > 0, "no heartbeat with output time");
    assertTrue(ffmpeg.isAlive(), "FFmpeg finished before the test could interrupt it");
    return ffmpeg;
  }

  private void assertNoFfmpegLeft() {
    assertEquals(
        List.of(),
        Processes.mentioning(workDir.toString()),
        "processes still working on " + workDir);
  }

  private static Throwable failureOf(CompletableFuture<?> call) {
    var e = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static ApplicationFailure applicationFailureOf(CompletableFuture<?> call) {
    ActivityFailure failure = assertInstanceOf(ActivityFailure.class, failureOf(call));
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }
}
