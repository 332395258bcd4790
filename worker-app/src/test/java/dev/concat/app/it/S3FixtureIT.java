package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The S3 fixture does what the fault tests rely on: a restart keeps its port, objects and GET
 * count, and an upload left open is listed (so "no multipart upload left" is not vacuously true).
 */
@Timeout(60)
class S3FixtureIT {

  @Test
  void aRestartKeepsThePortTheObjectsAndTheGetCount(@TempDir Path dir) throws Exception {
    try (S3Fixture s3 = S3Fixture.start(dir.resolve("data"))) {
      Path file = Files.writeString(dir.resolve("a.txt"), "hello");
      s3.put("a.txt", file);
      s3.download("a.txt", dir.resolve("first.txt"));
      String endpoint = s3.endpoint().toString();

      s3.stop();
      assertThrows(
          SdkClientException.class, () -> s3.download("a.txt", dir.resolve("refused.txt")));
      s3.restart();

      assertEquals(endpoint, s3.endpoint().toString());
      assertEquals(
          "hello",
          Files.readString(s3.download("a.txt", dir.resolve("again.txt")), StandardCharsets.UTF_8));
      assertEquals(2, s3.gets(), "GETs before and after the restart");
    }
  }

  @Test
  void anUploadLeftOpenIsListedUntilItIsAborted(@TempDir Path dir) {
    try (S3Fixture s3 = S3Fixture.start(dir.resolve("data"))) {
      String uploadId =
          s3.client()
              .createMultipartUpload(b -> b.bucket(S3Fixture.BUCKET).key("big.mp3"))
              .uploadId();
      s3.client()
          .uploadPart(
              b -> b.bucket(S3Fixture.BUCKET).key("big.mp3").uploadId(uploadId).partNumber(1),
              RequestBody.fromBytes(new byte[1024]));

      List<MultipartUpload> open = s3.inProgressUploads();
      assertEquals(1, open.size(), open::toString);
      assertEquals("big.mp3", open.get(0).key());

      s3.client()
          .abortMultipartUpload(b -> b.bucket(S3Fixture.BUCKET).key("big.mp3").uploadId(uploadId));
      assertTrue(s3.inProgressUploads().isEmpty());
    }
  }
}
