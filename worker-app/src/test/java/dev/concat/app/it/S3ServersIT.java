package dev.concat.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.activities.testing.ExternalS3Server;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.contract.ConcatRequest;
import dev.concat.contract.ConcatResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The end-to-end job through a real worker process and Temporal against the S3 servers the
 * activity-level matrix (S3CompatibilityTest) also covers: moto's standalone server and MinIO
 * (S3Proxy is every other IT's store).
 */
@Timeout(180)
class S3ServersIT {
  @RegisterExtension static final RealStack stack = new RealStack();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ExternalS3Server.Kind.class)
  void aJobCompletesThroughAWorkerOnTheServer(ExternalS3Server.Kind kind) {
    AudioSet audio = AudioSet.sines(3, 2.0);
    try (ExternalS3Server server = ExternalS3Server.start(kind)) {
      List<String> segments = new ArrayList<>();
      for (Path file : audio.files()) {
        String key = "e2e/" + file.getFileName();
        server
            .s3()
            .putObject(b -> b.bucket(S3TestServer.BUCKET).key(key), RequestBody.fromFile(file));
        segments.add("s3://" + S3TestServer.BUCKET + "/" + key);
      }
      stack.startWorker(
          "A",
          Map.of(
              "S3_ENDPOINT",
              server.endpoint().toString(),
              "AWS_ACCESS_KEY_ID",
              S3TestServer.ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY",
              S3TestServer.SECRET_KEY));
      String jobId = "e2e-" + server.name();

      stack
          .jobs()
          .start(
              ConcatRequest.builder(jobId)
                  .segments(segments)
                  .output("s3://" + S3TestServer.BUCKET + "/out/" + jobId + ".mp3")
                  .build());
      ConcatResult result = stack.jobs().awaitResult(jobId, Duration.ofSeconds(120));

      assertEquals(audio.totalSeconds(), result.durationSeconds(), 0.05);
      var head =
          server.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("out/" + jobId + ".mp3"));
      assertEquals(result.sizeBytes(), head.contentLength());
      assertEquals(jobId, head.metadata().get("concat-job-id"));
    }
  }
}
