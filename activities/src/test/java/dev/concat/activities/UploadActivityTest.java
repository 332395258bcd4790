package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The joined file goes up as a multipart upload; a stopped upload leaves nothing behind. */
class UploadActivityTest {
  /** Above the transfer manager's 8 MiB threshold, so it is a three-part upload. */
  private static final int SIZE = 20 * 1024 * 1024;

  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;
  byte[] content;
  List<Long> heartbeats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    s3.store().reset();
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(1));
    harness.env().setActivityHeartbeatListener(Long.class, heartbeats::add);
    content = new byte[SIZE];
    new Random(3).nextBytes(content);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void uploadsInPartsWithContentTypeAndHeartbeatsTheBytesSent() throws Exception {
    placeJoinedFile("big");
    s3.store().throttleUploads(8_000_000);

    UploadResult result = harness.stub().upload(new UploadInput("big", "s3://media/out/big.mp3"));

    assertEquals(SIZE, result.bytes());
    HeadObjectResponse head =
        s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/big.mp3"));
    assertEquals("audio/mpeg", head.contentType());
    assertTrue(
        head.eTag().matches("\"?[0-9a-f]+-3\"?"), "a 3-part upload's ETag, was " + head.eTag());
    byte[] stored = Files.readAllBytes(s3.get("out/big.mp3", temp.resolve("stored.mp3")));
    assertArrayEquals(sha256(content), sha256(stored));
    assertFalse(heartbeats.isEmpty(), "no heartbeat while uploading");
    assertFalse(Files.exists(harness.jobDir("big")), "work directory deleted after upload");
  }

  @Test
  void cancelledUploadLeavesNoObjectAndNoMultipartUpload() throws Exception {
    placeJoinedFile("stopped");
    s3.store().throttleUploads(4_000_000);
    harness
        .env()
        .setActivityHeartbeatListener(Long.class, bytes -> harness.env().requestCancelActivity());

    assertThrows(
        CanceledFailure.class,
        () -> harness.stub().upload(new UploadInput("stopped", "s3://media/out/stopped.mp3")));

    assertThrows(
        NoSuchKeyException.class,
        () -> s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/stopped.mp3")));
    assertEquals(
        List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
    assertFalse(Files.exists(harness.jobDir("stopped")), "work directory deleted");
  }

  @Test
  void anotherWritersMultipartUploadToTheSameKeyIsLeftAlone() throws Exception {
    placeJoinedFile("again");
    String key = "out/again.mp3";
    String theirs =
        s3.s3().createMultipartUpload(b -> b.bucket(S3TestServer.BUCKET).key(key)).uploadId();
    s3.s3()
        .uploadPart(
            b -> b.bucket(S3TestServer.BUCKET).key(key).uploadId(theirs).partNumber(1),
            RequestBody.fromBytes(new byte[1024]));

    harness.stub().upload(new UploadInput("again", "s3://media/" + key));

    assertEquals(
        List.of(theirs),
        s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads().stream()
            .map(MultipartUpload::uploadId)
            .toList(),
        "only uploads this job started are aborted");
    s3.s3().abortMultipartUpload(b -> b.bucket(S3TestServer.BUCKET).key(key).uploadId(theirs));
  }

  @Test
  void aStoreWithoutConditionalWritesGetsTheOutputAfterTheCheck() throws Exception {
    content = new byte[1024 * 1024];
    placeJoinedFile("plain-store");
    s3.store().refuseConditionalWrites();

    UploadResult result =
        harness.stub().upload(new UploadInput("plain-store", "s3://media/out/plain-store.mp3"));

    assertEquals(content.length, result.bytes());
    assertEquals(
        "plain-store",
        s3.s3()
            .headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/plain-store.mp3"))
            .metadata()
            .get("concat-job-id"));
  }

  private void placeJoinedFile(String jobId) throws Exception {
    Path dir = Files.createDirectories(harness.jobDir(jobId));
    Files.write(dir.resolve("output.mp3"), content);
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
