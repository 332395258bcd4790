package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.SampleAudio;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.JobState;
import dev.concat.contract.JobTimeouts;
import dev.concat.testkit.WorkerJvm;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's cut link: a worker whose connection to Temporal is cut mid-join (S3 still reachable)
 * fences itself. Its FFmpeg is gone within the heartbeat timeout plus 5 s, its files are deleted
 * and its slot freed, it says so once instead of a stack trace per retry, and it never uploads, not
 * even when the link comes back; the job completes on another worker.
 */
@Timeout(240)
class TemporalLinkCutIT {
  private static final long HEARTBEAT_SECONDS = 5;
  @RegisterExtension static final RealStack stack = new RealStack();

  @TempDir Path temp;

  @Test
  void aWorkerCutOffFromTemporalStopsItsFfmpegFreesItsSlotAndFilesAndNeverUploads()
      throws Exception {
    String jobId = "cut-off";
    String outputKey = "out/" + jobId + ".mp3";
    AudioSet audio = AudioSet.sines(8, 4.0);
    try (CuttableTcpProxy link =
        CuttableTcpProxy.to(URI.create("http://" + stack.temporal().address()))) {
      Map<String, String> cutOff = new HashMap<>(stack.slowFfmpeg());
      cutOff.put("TEMPORAL_ADDRESS", "127.0.0.1:" + link.endpoint().getPort());
      WorkerJvm a = stack.startWorker("A", cutOff);
      JobTimeouts timeouts = new JobTimeouts(600L, HEARTBEAT_SECONDS, null, null, null, null, 3);
      stack
          .jobs()
          .start(
              ConcatRequest.builder(jobId)
                  .segments(audio.upload(stack.s3(), jobId))
                  .output(S3Fixture.uri(outputKey))
                  .timeouts(timeouts)
                  .build());
      stack
          .jobs()
          .awaitStatus(
              jobId,
              "joining on A",
              s -> s.state() == JobState.CONCATENATING,
              Duration.ofSeconds(60));
      Orphans.awaitFfmpeg(a.workDir(), Duration.ofSeconds(20));
      Thread.sleep(1_000);
      WorkerJvm b = stack.startWorker("B");
      int logBeforeCut = a.logText().length();

      long cut = System.nanoTime();
      link.cut();
      Duration ffmpegGone =
          Orphans.awaitNone(a.workDir(), Duration.ofSeconds(HEARTBEAT_SECONDS + 15));
      Orphans.awaitNoLeftoverFiles(a.workDir(), Duration.ofSeconds(HEARTBEAT_SECONDS + 15));
      Duration filesGone = Reliability.since(cut);
      a.awaitLog(
          "job " + jobId + ": concat stopped because Temporal ended the attempt",
          Duration.ofSeconds(5));

      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(150));
      Duration completed = Reliability.since(cut);
      link.restore();
      Thread.sleep(10_000);

      ConcatStatus status = stack.jobs().status(jobId);
      assertEquals(b.identity(), status.worker(), status::toString);
      assertEquals(32.0, result.durationSeconds(), 0.05, result::toString);
      assertEquals(
          32.0,
          SampleAudio.decodedSeconds(stack.s3().download(outputKey, temp.resolve("out.mp3"))),
          0.05);
      String aAfterCut = a.logText().substring(logBeforeCut);
      assertFalse(aAfterCut.contains("uploaded"), "the cut-off worker uploaded:\n" + aAfterCut);
      assertTrue(a.isAlive(), "the cut-off worker keeps running and can take work again");
      long stackTraces = aAfterCut.lines().filter(l -> l.contains(" error=\"")).count();
      long warnings = aAfterCut.lines().filter(l -> l.contains("level=WARN")).count();
      Reliability.record(
          "temporal-link-cut-mid-join",
          "heartbeat_timeout",
          Duration.ofSeconds(HEARTBEAT_SECONDS),
          "ffmpeg_gone_after_cut",
          ffmpegGone,
          "files_gone_after_cut",
          filesGone,
          "job_completed_after_cut",
          completed,
          "warn_lines",
          warnings,
          "stack_traces",
          stackTraces);
      assertTrue(
          ffmpegGone.compareTo(Duration.ofSeconds(HEARTBEAT_SECONDS + 5)) <= 0,
          "FFmpeg outlived the heartbeat timeout + 5 s: " + ffmpegGone);
      assertTrue(
          filesGone.compareTo(Duration.ofSeconds(HEARTBEAT_SECONDS + 6)) <= 0,
          "files left for " + filesGone);
      assertTrue(
          stackTraces <= 2,
          "stack traces in the cut-off worker's log: " + stackTraces + "\n" + aAfterCut);
    }
  }
}
