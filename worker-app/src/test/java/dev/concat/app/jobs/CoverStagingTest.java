package dev.concat.app.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.ExitCodes;
import dev.concat.app.embedded.EmbeddedS3Server;
import dev.concat.app.s3.S3Connection;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.ConcatWorkflow;
import dev.concat.contract.JobState;
import dev.concat.contract.ProgressUpdate;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A local cover goes to the output's bucket before the job starts, over a real S3 API, and is
 * removed after it.
 */
@Timeout(60)
class CoverStagingTest {
  private static final String TASK_QUEUE = "cover-staging-test";
  private static final String BUCKET = "shows";
  private static final MeasuredAudio AUDIO =
      new MeasuredAudio("mp3", 44_100, 2, 128_000, 3.0, -16.0, -1.0, 2.0, 0, 4.5);

  @TempDir Path dir;
  private EmbeddedS3Server server;
  private SharedS3Clients s3;
  private TestWorkflowEnvironment temporal;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws IOException {
    server =
        EmbeddedS3Server.start(
            Files.createDirectory(dir.resolve("s3")),
            "127.0.0.1",
            0,
            S3Connection.DEV_ACCESS_KEY,
            S3Connection.DEV_SECRET_KEY);
    server.createBucket(BUCKET);
    s3 = SharedS3Clients.open(S3Connection.dev(server.endpoint()));
    temporal = TestWorkflowEnvironment.newInstance();
    temporal.newWorker(TASK_QUEUE).registerWorkflowImplementationTypes(FinishedJob.class);
    temporal.start();
  }

  @AfterEach
  void stop() {
    temporal.close();
    s3.close();
    server.close();
  }

  private JobSubmission submission() {
    return new JobSubmission(
        temporal.getWorkflowClient(),
        TASK_QUEUE,
        () -> s3,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false);
  }

  private SubmitPlan planWithCover(String jobId) throws IOException {
    Files.write(dir.resolve("art.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    ConcatRequest draft =
        ConcatRequest.builder(jobId)
            .segments(List.of("s3://raw/a.mp3"))
            .output("s3://" + BUCKET + "/" + jobId + ".mp3")
            .metadata(new EpisodeMetadata("Pilot", null, null, null, "art.jpg"))
            .build();
    SubmitPlan plan = SubmitPlan.of(draft, dir);
    assertEquals(List.of(), plan.problems());
    return plan;
  }

  private byte[] stored(String key) {
    return s3.client().getObjectAsBytes(get -> get.bucket(BUCKET).key(key)).asByteArray();
  }

  @Test
  void theCoverIsInTheBucketWhenTheJobStarts() throws Exception {
    SubmitPlan plan = planWithCover("ep-1");

    int exit = submission().submit(plan, false);

    assertEquals(ExitCodes.OK, exit, err.toString(StandardCharsets.UTF_8));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("art.jpg")), stored("concat-staging/ep-1/cover.jpg"));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains(
                "uploading cover "
                    + dir.resolve("art.jpg")
                    + " to s3://shows/concat-staging/ep-1/cover.jpg"),
        err::toString);
  }

  @Test
  void afterWaitingTheCoverIsRemovedAndTheAudioIsReported() throws Exception {
    SubmitPlan plan = planWithCover("ep-2");

    int exit = submission().submit(plan, true);

    assertEquals(ExitCodes.OK, exit, err.toString(StandardCharsets.UTF_8));
    assertThrows(NoSuchKeyException.class, () -> stored("concat-staging/ep-2/cover.jpg"));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("\"integratedLufs\":-16.0"), out::toString);
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains(
                "audio: mp3, 44100 Hz, stereo, 128 kb/s; -16.0 LUFS, -1.0 dBTP, LRA 2.0 LU; gain +4.5 dB"),
        err::toString);
  }

  /** Stands in for the real workflow: completes at once with a measured result. */
  public static final class FinishedJob implements ConcatWorkflow {
    private ConcatStatus status;

    @Override
    public ConcatResult concat(ConcatRequest request) {
      ConcatResult result =
          new ConcatResult(request.output(), 3.0, 48_000, "reencode", 0.1, 0.2, 0.1, AUDIO);
      status =
          new ConcatStatus(
              request.jobId(),
              JobState.COMPLETED,
              1,
              1,
              1,
              48_000,
              null,
              null,
              1,
              null,
              null,
              result);
      return result;
    }

    @Override
    public ConcatStatus status() {
      return status;
    }

    @Override
    public void progress(Object update) {}

    @Override
    public void reportProgress(ProgressUpdate update) {}

    @Override
    public void validateProgress(ProgressUpdate update) {}
  }
}
