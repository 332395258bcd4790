package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * A spread encode's host found 12 MiB of its output stored already (a run its workers staged):
   * the upload has the store copy them, lending the 3 MiB before them 2 MiB of the run to make a
   * part of S3's least size, and sends the rest; the object is the file byte for byte, with
   * concat's mark.
   */
  @Test
  void bytesTheStoreHoldsAreCopiedByItNotSent() throws Exception {
    placeJoinedFile("copied");
    String run = ".concat-staging/copied/run";
    placeStoredRange("copied", run, 3, 15);

    UploadResult result =
        harness.stub().upload(new UploadInput("copied", "s3://media/out/copied.mp3"));

    assertEquals(SIZE, result.bytes());
    byte[] stored = Files.readAllBytes(s3.get("out/copied.mp3", temp.resolve("copied.mp3")));
    assertArrayEquals(sha256(content), sha256(stored));
    assertEquals(
        "copied",
        s3.s3()
            .headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/copied.mp3"))
            .metadata()
            .get("concat-job-id"));
    assertEquals(
        List.of("bytes=2097152-12582911"),
        rangesOf(run),
        "the store read the run's last 10 MiB for the copy; nobody else read it");
    assertFalse(heartbeats.isEmpty(), "no heartbeat while uploading");
    assertEquals(
        List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
  }

  /** A store that cannot copy parts gets those bytes sent instead: the same object. */
  @Test
  void aStoreThatCannotCopyPartsGetsThemSent() throws Exception {
    placeJoinedFile("no-copies");
    String run = ".concat-staging/no-copies/run";
    placeStoredRange("no-copies", run, 3, 15);
    s3.store().refusePartCopies();

    UploadResult result =
        harness.stub().upload(new UploadInput("no-copies", "s3://media/out/no-copies.mp3"));

    assertEquals(SIZE, result.bytes());
    byte[] stored = Files.readAllBytes(s3.get("out/no-copies.mp3", temp.resolve("nc.mp3")));
    assertArrayEquals(sha256(content), sha256(stored));
    assertEquals(List.of(), rangesOf(run), "nothing read the run");
    assertEquals(
        List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
  }

  /**
   * The store fails the copy (it cannot read the run, HTTP 500): the attempt fails for a retry,
   * leaving no object and no multipart upload, and the next attempt, with the store well again,
   * copies.
   */
  @Test
  void aCopyTheStoreFailsFailsTheAttemptAndLeavesNothing() throws Exception {
    placeJoinedFile("copy-fault");
    String run = ".concat-staging/copy-fault/run";
    placeStoredRange("copy-fault", run, 3, 15);
    s3.store().failGetsOf(run);

    var failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                harness
                    .stub()
                    .upload(new UploadInput("copy-fault", "s3://media/out/copy-fault.mp3")));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertFalse(cause.isNonRetryable(), "a fault of the store is retried: " + cause);
    assertThrows(
        NoSuchKeyException.class,
        () -> s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/copy-fault.mp3")));
    assertEquals(
        List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());

    s3.store().reset();
    harness.stub().upload(new UploadInput("copy-fault", "s3://media/out/copy-fault.mp3"));
    byte[] stored = Files.readAllBytes(s3.get("out/copy-fault.mp3", temp.resolve("cf.mp3")));
    assertArrayEquals(sha256(content), sha256(stored));
    assertEquals(List.of("bytes=2097152-12582911"), rangesOf(run), "copied on the retry");
  }

  /** Stores the file's MiB {@code from} to {@code to} at {@code key}, as a copy source. */
  private void placeStoredRange(String jobId, String key, int from, int to) throws Exception {
    int mib = 1024 * 1024;
    Path part = temp.resolve(jobId + ".run");
    Files.write(part, Arrays.copyOfRange(content, from * mib, to * mib));
    s3.put(key, part);
    s3.store().reset();
    Files.writeString(
        harness.jobDir(jobId).resolve("output.copies"),
        (long) from * mib + " " + (long) to * mib + " s3://" + S3TestServer.BUCKET + "/" + key);
  }

  /** The ranges of the GETs of {@code key} since the last reset. */
  private static List<String> rangesOf(String key) {
    List<String> keys = s3.store().getKeys();
    List<String> ranges = s3.store().getRanges();
    List<String> of = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).equals(key)) {
        of.add(ranges.get(i));
      }
    }
    return of;
  }

  private void placeJoinedFile(String jobId) throws Exception {
    Path dir = Files.createDirectories(harness.jobDir(jobId));
    Files.write(dir.resolve("output.mp3"), content);
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
