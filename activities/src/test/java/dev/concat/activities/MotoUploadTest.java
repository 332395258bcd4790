package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concat.activities.storage.OutputGuard;
import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import dev.concat.activities.testing.ExternalS3Server;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3ClientSet;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Issue 13's reproduction against moto's standalone server: it answers {@code Expect: 100-continue}
 * with two interim responses, and the SDK's Netty client with expect-continue on (its default)
 * reports "Status Code: 100" for an upload the server did store.
 */
class MotoUploadTest {
  private static ExternalS3Server moto;

  @TempDir Path temp;

  @BeforeAll
  static void start() {
    moto = ExternalS3Server.start(ExternalS3Server.Kind.MOTO);
  }

  @AfterAll
  static void stop() {
    if (moto != null) {
      moto.close();
    }
  }

  /**
   * The fault is real (a plain upload with the SDK's default fails although the object is stored);
   * the upload activity given the same client checks the store and counts its own whole object
   * done.
   */
  @Test
  void anUploadReportedFailedButStoredWholeIsCountedDone() throws Exception {
    byte[] content = new byte[1024 * 1024];
    new Random(7).nextBytes(content);
    try (var clients =
            new S3ClientSet(
                "moto-expect-continue",
                moto.endpoint(),
                S3Clients.sync(
                    new S3Settings(moto.endpoint().toString(), "us-east-1", true, true),
                    S3ClientSet.CREDENTIALS),
                expectContinueClient());
        var harness =
            new JobActivitiesHarness(
                TestSettings.forWorkDir(temp.resolve("work")), clients, Duration.ofSeconds(10))) {
      var fault =
          assertThrows(
              CompletionException.class,
              () -> plainUpload(clients.transferManager(), "probe.mp3", content));
      assertEquals(100, ((S3Exception) fault.getCause()).statusCode());
      assertArrayEquals(
          content, eventually("probe.mp3"), "moto stored the object the client called failed");

      Files.createDirectories(harness.jobDir("moto"));
      Files.write(harness.jobDir("moto").resolve("output.mp3"), content);
      UploadResult result =
          harness.stub().upload(new UploadInput("moto", "s3://media/out/moto.mp3"));

      assertEquals(content.length, result.bytes());
      assertArrayEquals(content, bytes("out/moto.mp3"));
      assertEquals(
          "moto",
          moto.s3()
              .headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/moto.mp3"))
              .metadata()
              .get(OutputGuard.JOB_MARK));
      assertFalse(
          Files.exists(harness.jobDir("moto")),
          "work directory deleted after the upload counted done");
    }
  }

  /** The clients the worker builds send no Expect header, so the same upload simply succeeds. */
  @Test
  void theWorkersClientsUploadWithoutTheFault() {
    byte[] content = new byte[1024 * 1024];
    plainUpload(moto.transferManager(), "plain.mp3", content);
    assertArrayEquals(content, bytes("plain.mp3"));
  }

  private static void plainUpload(S3TransferManager transfer, String key, byte[] content) {
    transfer
        .upload(
            u ->
                u.putObjectRequest(b -> b.bucket(S3TestServer.BUCKET).key(key))
                    .requestBody(AsyncRequestBody.fromBytes(content)))
        .completionFuture()
        .join();
  }

  /** The object once it is there: moto may still be taking the body when the client gives up. */
  private static byte[] eventually(String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        return bytes(key);
      } catch (NoSuchKeyException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static byte[] bytes(String key) {
    return moto.s3().getObjectAsBytes(b -> b.bucket(S3TestServer.BUCKET).key(key)).asByteArray();
  }

  /** The SDK's default upload client: Netty, expect-continue on. The fault injected on purpose. */
  private static S3AsyncClient expectContinueClient() {
    return S3AsyncClient.builder()
        .endpointOverride(moto.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(S3ClientSet.CREDENTIALS)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(true).build())
        .multipartEnabled(true)
        .build();
  }
}
