package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.storage.OutputGuard;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3ClientSet;
import dev.concat.activities.testing.S3Endpoint;
import dev.concat.activities.testing.S3Matrix;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.SlowLink;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.OutputObject;
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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The same jobs against every S3 implementation in {@link S3Matrix} (S3Proxy, moto's standalone
 * server, MinIO), each over HTTP on loopback with the clients the worker builds.
 */
class S3CompatibilityTest {
  /** Above the transfer manager's 8 MiB threshold: a three-part upload. */
  private static final int MULTIPART_SIZE = 20 * 1024 * 1024;

  private static final S3Matrix matrix = new S3Matrix();

  @TempDir Path temp;

  @AfterAll
  static void stopServers() {
    matrix.close();
  }

  static List<String> servers() {
    return S3Matrix.SERVERS;
  }

  /**
   * Download, join with FFmpeg and upload a small (single-part) output. moto answers the upload's
   * {@code Expect: 100-continue} twice; the upload failed with "Status Code: 100" before.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aJobRunsEndToEnd(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    double[] lengths = {1.5, 2.0, 1.0};
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      segments.add(
          put(
              s3,
              "e2e/part" + i + ".mp3",
              Files.readAllBytes(
                  SampleAudio.sine(temp.resolve("part" + i + ".mp3"), lengths[i], 300 + 100 * i))));
    }
    String output = "s3://media/e2e/full.mp3";
    var object =
        new OutputObject(
            "public, max-age=3600",
            "attachment; filename=\"full.mp3\"",
            null,
            null,
            null,
            null,
            Map.of("show", "matrix"),
            null);

    try (var harness = harness(s3)) {
      harness.stub().download(new DownloadInput("e2e", segments, output, null, null, null));
      ConcatOutput joined = harness.stub().concat(new ConcatInput("e2e", segments, output, false));
      UploadResult uploaded = harness.stub().upload(new UploadInput("e2e", output, null, object));

      HeadObjectResponse head = head(s3, "e2e/full.mp3");
      assertEquals(joined.sizeBytes(), uploaded.bytes());
      assertEquals(joined.sizeBytes(), head.contentLength());
      assertEquals("audio/mpeg", head.contentType());
      assertEquals("public, max-age=3600", head.cacheControl());
      assertEquals("attachment; filename=\"full.mp3\"", head.contentDisposition());
      assertEquals("matrix", head.metadata().get("show"));
      assertEquals("e2e", head.metadata().get(OutputGuard.JOB_MARK));
      Path fetched = temp.resolve("fetched.mp3");
      s3.s3().getObject(b -> b.bucket(S3TestServer.BUCKET).key("e2e/full.mp3"), fetched);
      assertEquals(
          4.5, SampleAudio.decodedSeconds(fetched), 0.05, "decoded duration of the stored object");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aMultipartSizedOutputArrivesWhole(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    try (var harness = harness(s3)) {
      byte[] content = joinedFile(harness, "big");

      UploadResult result = harness.stub().upload(new UploadInput("big", "s3://media/out/big.mp3"));

      assertEquals(MULTIPART_SIZE, result.bytes());
      HeadObjectResponse head = head(s3, "out/big.mp3");
      assertTrue(
          head.eTag().matches("\"?[0-9a-f]+-3\"?"), "a 3-part upload's ETag, was " + head.eTag());
      assertEquals("big", head.metadata().get(OutputGuard.JOB_MARK));
      byte[] stored =
          s3.s3()
              .getObjectAsBytes(b -> b.bucket(S3TestServer.BUCKET).key("out/big.mp3"))
              .asByteArray();
      assertArrayEquals(sha256(content), sha256(stored));
      assertEquals(
          List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aCancelMidUploadLeavesNoObjectAndNoParts(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    try (var link = SlowLink.to(s3.endpoint(), 4_000_000);
        var slow = S3ClientSet.at(name + "-slow", link.endpoint());
        var harness = harness(slow)) {
      joinedFile(harness, "stopped");
      harness
          .env()
          .setActivityHeartbeatListener(Long.class, bytes -> harness.env().requestCancelActivity());

      assertThrows(
          CanceledFailure.class,
          () -> harness.stub().upload(new UploadInput("stopped", "s3://media/out/stopped.mp3")));

      assertThrows(NoSuchKeyException.class, () -> head(s3, "out/stopped.mp3"));
      assertEquals(
          List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
      assertFalse(Files.exists(harness.jobDir("stopped")), "work directory deleted");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aMissingSegmentFailsTheJobAtOnceNamingIt(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    String present =
        put(
            s3,
            "gap/part0.mp3",
            Files.readAllBytes(SampleAudio.sine(temp.resolve("p.mp3"), 1.0, 440)));
    List<String> segments = List.of(present, "s3://media/gap/part1.mp3");

    try (var harness = harness(s3)) {
      long started = System.nanoTime();
      var failure =
          assertThrows(
              ActivityFailure.class,
              () ->
                  harness
                      .stub()
                      .download(
                          new DownloadInput(
                              "gap", segments, "s3://media/gap/out.mp3", null, null, null)));

      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertEquals(FailureType.INVALID_SEGMENT.type(), cause.getType());
      assertTrue(cause.isNonRetryable());
      assertTrue(
          cause.getOriginalMessage().contains("segment 1")
              && cause.getOriginalMessage().contains("part1.mp3"),
          cause.getOriginalMessage());
      assertTrue(
          System.nanoTime() - started < Duration.ofSeconds(20).toNanos(),
          "failed without retrying for long");
    }
  }

  /** Issue 12's attack: a job naming someone's published episode as its output. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void anObjectThisJobDidNotWriteIsReplacedOnlyWithOverwrite(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    byte[] episode = "a published 60 s episode".getBytes();
    put(s3, "published/ep1.mp3", episode);
    String target = "s3://media/published/ep1.mp3";
    String segment =
        put(
            s3,
            "attack/part0.mp3",
            Files.readAllBytes(SampleAudio.sine(temp.resolve("a.mp3"), 1.0, 440)));

    try (var harness = harness(s3)) {
      var early =
          assertThrows(
              ActivityFailure.class,
              () ->
                  harness
                      .stub()
                      .download(
                          new DownloadInput("attack", List.of(segment), target, null, null, null)));
      assertOutputExists(early);
      assertFalse(Files.exists(harness.jobDir("attack").resolve("segments")), "nothing downloaded");

      joinedFile(harness, "attack");
      assertOutputExists(
          assertThrows(
              ActivityFailure.class,
              () -> harness.stub().upload(new UploadInput("attack", target))));
      assertArrayEquals(episode, bytes(s3, "published/ep1.mp3"), "the episode is untouched");

      byte[] replacement = joinedFile(harness, "attack");
      harness.stub().upload(new UploadInput("attack", target, true, null));
      assertArrayEquals(replacement, bytes(s3, "published/ep1.mp3"), "overwrite: true replaces it");
      assertEquals("attack", head(s3, "published/ep1.mp3").metadata().get(OutputGuard.JOB_MARK));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aRerunReplacesItsOwnEarlierOutput(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    String segment =
        put(
            s3,
            "rerun/part0.mp3",
            Files.readAllBytes(SampleAudio.sine(temp.resolve("r.mp3"), 1.0, 440)));
    try (var harness = harness(s3)) {
      joinedFile(harness, "rerun");
      harness.stub().upload(new UploadInput("rerun", "s3://media/out/rerun.mp3"));
      harness
          .stub()
          .download(
              new DownloadInput(
                  "rerun", List.of(segment), "s3://media/out/rerun.mp3", null, null, null));
      byte[] second = joinedFile(harness, "rerun");
      harness.stub().upload(new UploadInput("rerun", "s3://media/out/rerun.mp3"));

      assertArrayEquals(second, bytes(s3, "out/rerun.mp3"));
    }
  }

  /**
   * An object written at the key while the upload is in flight (after its check) survives: the
   * upload's {@code If-None-Match: *} makes the store refuse to complete it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void anObjectWrittenDuringTheUploadIsNotReplaced(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    byte[] theirs = "another writer's object".getBytes();
    var written = new AtomicBoolean();
    try (var link = SlowLink.to(s3.endpoint(), 8_000_000);
        var slow = S3ClientSet.at(name + "-slow", link.endpoint());
        var harness = harness(slow)) {
      joinedFile(harness, "race");
      harness
          .env()
          .setActivityHeartbeatListener(
              Long.class,
              bytes -> {
                if (written.compareAndSet(false, true)) {
                  put(s3, "out/race.mp3", theirs);
                }
              });

      assertOutputExists(
          assertThrows(
              ActivityFailure.class,
              () -> harness.stub().upload(new UploadInput("race", "s3://media/out/race.mp3"))));

      assertTrue(written.get());
      assertArrayEquals(theirs, bytes(s3, "out/race.mp3"));
      assertNoMultipartUploadLeft(s3);
    }
  }

  /**
   * The refused upload's multipart upload is aborted by the SDK as the failure comes back, in a
   * request of its own that can still be in flight when the activity returns (seen on a loaded
   * machine): gone within seconds, not necessarily at once.
   */
  private static void assertNoMultipartUploadLeft(S3Endpoint s3) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<MultipartUpload> left;
    do {
      left = s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    assertEquals(List.of(), left, "multipart uploads left 10 s after the refused upload");
  }

  /**
   * Bytes a staged run holds are copied by the store (UploadPartCopy with a range): the host's file
   * has other bytes there, so the object shows which way they came. The object keeps the output's
   * settings and concat's mark, and no part is left behind.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void bytesAStagedRunHoldsAreCopiedByTheStore(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    int mib = 1024 * 1024;
    var object =
        new OutputObject(
            "public, max-age=600",
            null,
            null,
            null,
            null,
            name.equals("s3proxy") ? null : Map.of("show", "weekly"),
            Map.of("episode", "8"),
            null);
    try (var harness = harness(s3)) {
      byte[] content = joinedFile(harness, "copied");
      byte[] run = Arrays.copyOfRange(content, 3 * mib, 15 * mib);
      String source = put(s3, ".concat-staging/copied/run", run);
      // What the host sends for the copied range, if it sent it: not the object's bytes.
      byte[] local = content.clone();
      Arrays.fill(local, 3 * mib, 15 * mib, (byte) 0x55);
      Files.write(harness.jobDir("copied").resolve("output.mp3"), local);
      Files.writeString(
          harness.jobDir("copied").resolve("output.copies"),
          3 * mib + " " + 15 * mib + " " + source);

      UploadResult result =
          harness
              .stub()
              .upload(new UploadInput("copied", "s3://media/out/copied.mp3", null, object));

      assertEquals(MULTIPART_SIZE, result.bytes());
      byte[] stored =
          s3.s3()
              .getObjectAsBytes(b -> b.bucket(S3TestServer.BUCKET).key("out/copied.mp3"))
              .asByteArray();
      byte[] expected = local.clone();
      // The first 5 MiB are one part the host sends; the run's bytes after them are copied.
      System.arraycopy(content, 5 * mib, expected, 5 * mib, 10 * mib);
      assertArrayEquals(sha256(expected), sha256(stored), "bytes 5-15 MiB from the run");
      HeadObjectResponse head = head(s3, "out/copied.mp3");
      assertEquals("copied", head.metadata().get(OutputGuard.JOB_MARK));
      assertEquals("8", head.metadata().get("episode"));
      assertEquals("audio/mpeg", head.contentType());
      assertEquals("public, max-age=600", head.cacheControl());
      if (!name.equals("s3proxy")) {
        assertEquals(
            List.of("show=weekly"),
            s3
                .s3()
                .getObjectTagging(b -> b.bucket(S3TestServer.BUCKET).key("out/copied.mp3"))
                .tagSet()
                .stream()
                .map(t -> t.key() + "=" + t.value())
                .toList());
      }
      assertEquals(
          List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
    }
  }

  /**
   * A request's settings over the operator's defaults, on a multipart-sized output (the transfer
   * manager carries them to the multipart create), read back with HEAD and GetObjectTagging. Each
   * server gets what it implements: S3Proxy keeps no storage class, tags or encryption on a
   * multipart upload, MinIO has no STANDARD_IA.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void theOutputObjectIsStoredAsAsked(String name) throws Exception {
    S3Endpoint s3 = matrix.server(name);
    boolean s3proxy = name.equals("s3proxy");
    String storageClass =
        s3proxy ? null : name.equals("minio") ? "REDUCED_REDUNDANCY" : "STANDARD_IA";
    var defaults =
        new OutputObject(
            "no-store",
            null,
            null,
            name.equals("minio") ? "AES256" : null,
            null,
            s3proxy ? null : Map.of("team", "audio"),
            Map.of("source", "concat"),
            null);
    var requested =
        new OutputObject(
            "public, max-age=86400",
            "attachment; filename=\"ep7.mp3\"",
            storageClass,
            name.equals("moto") ? "aws:kms" : null,
            name.equals("moto") ? "concat-test-key" : null,
            s3proxy ? null : Map.of("show", "weekly"),
            Map.of("episode", "7"),
            null);

    try (var harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10), defaults)) {
      joinedFile(harness, "settings");
      harness
          .stub()
          .upload(new UploadInput("settings", "s3://media/out/settings.mp3", null, requested));
    }

    HeadObjectResponse head = head(s3, "out/settings.mp3");
    assertEquals("public, max-age=86400", head.cacheControl(), "the request wins over the default");
    assertEquals("attachment; filename=\"ep7.mp3\"", head.contentDisposition());
    if (storageClass != null) {
      assertEquals(storageClass, head.storageClassAsString());
    }
    assertEquals(
        Map.of("episode", "7", "source", "concat", OutputGuard.JOB_MARK, "settings"),
        Map.of(
            "episode",
            head.metadata().get("episode"),
            "source",
            head.metadata().get("source"),
            OutputGuard.JOB_MARK,
            head.metadata().get(OutputGuard.JOB_MARK)),
        "metadata merged over the defaults");
    switch (name) {
      case "moto" -> {
        assertEquals("aws:kms", head.serverSideEncryptionAsString());
        assertTrue(head.ssekmsKeyId().endsWith("concat-test-key"), head.ssekmsKeyId());
      }
      case "minio" ->
          assertEquals("AES256", head.serverSideEncryptionAsString(), "SSE-S3 from the default");
      default -> assertEquals(null, head.serverSideEncryptionAsString());
    }
    if (!s3proxy) {
      var tags =
          s3.s3()
              .getObjectTagging(b -> b.bucket(S3TestServer.BUCKET).key("out/settings.mp3"))
              .tagSet();
      assertEquals(
          Map.of("team", "audio", "show", "weekly"),
          tags.stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())));
    }
  }

  /**
   * MinIO refuses STANDARD_IA (400 InvalidStorageClass): the job fails for good, not after three
   * joins.
   */
  @org.junit.jupiter.api.Test
  void aSettingTheStoreRefusesFailsTheJobForGood() throws Exception {
    S3Endpoint s3 = matrix.server("minio");
    var tagged = new OutputObject(null, null, "STANDARD_IA", null, null, null, null, null);
    try (var harness = harness(s3)) {
      Files.createDirectories(harness.jobDir("tags"));
      Files.write(harness.jobDir("tags").resolve("output.mp3"), new byte[1024 * 1024]);
      var failure =
          assertThrows(
              ActivityFailure.class,
              () ->
                  harness
                      .stub()
                      .upload(new UploadInput("tags", "s3://media/out/tags.mp3", null, tagged)));

      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertEquals(FailureType.OUTPUT_REJECTED.type(), cause.getType(), cause.getOriginalMessage());
      assertTrue(cause.isNonRetryable());
      assertTrue(
          cause.getOriginalMessage().contains("HTTP 400 InvalidStorageClass"),
          cause.getOriginalMessage());
    }
    assertThrows(NoSuchKeyException.class, () -> head(s3, "out/tags.mp3"));
    assertEquals(
        List.of(), s3.s3().listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)).uploads());
  }

  private static void assertOutputExists(ActivityFailure failure) {
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(FailureType.OUTPUT_EXISTS.type(), cause.getType(), cause.getOriginalMessage());
    assertTrue(cause.isNonRetryable());
  }

  private JobActivitiesHarness harness(S3Endpoint s3) {
    return new JobActivitiesHarness(
        TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10));
  }

  /** A random multipart-sized file where the concat step leaves the joined output. */
  private static byte[] joinedFile(JobActivitiesHarness harness, String jobId) throws Exception {
    byte[] content = new byte[MULTIPART_SIZE];
    new Random(jobId.hashCode() + System.nanoTime()).nextBytes(content);
    Path dir = Files.createDirectories(harness.jobDir(jobId));
    Files.write(dir.resolve("output.mp3"), content);
    return content;
  }

  private static String put(S3Endpoint s3, String key, byte[] content) {
    s3.s3().putObject(b -> b.bucket(S3TestServer.BUCKET).key(key), RequestBody.fromBytes(content));
    return "s3://" + S3TestServer.BUCKET + "/" + key;
  }

  private static HeadObjectResponse head(S3Endpoint s3, String key) {
    return s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key(key));
  }

  private static byte[] bytes(S3Endpoint s3, String key) {
    return s3.s3().getObjectAsBytes(b -> b.bucket(S3TestServer.BUCKET).key(key)).asByteArray();
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
