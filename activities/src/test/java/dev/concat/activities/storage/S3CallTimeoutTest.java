package dev.concat.activities.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.JobActivitiesImpl;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.JobActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 endpoint that accepts connections and then never answers (a wedged proxy, a half-dead
 * server): the download must fail with a retryable error once the idle timeout has passed on every
 * try, never hang.
 */
class S3CallTimeoutTest {
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private ServerSocket silent;

  @AfterEach
  void close() throws IOException {
    for (Socket socket : accepted) {
      socket.close();
    }
    if (silent != null) {
      silent.close();
    }
  }

  @Test
  @Timeout(60)
  void aServerThatNeverAnswersFailsTheDownloadInsteadOfHangingIt(@TempDir Path temp)
      throws Exception {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(silent.accept()); // read nothing, answer nothing
                }
              } catch (IOException closed) {
                // the test is over
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    var settings =
        new S3Settings(
            "http://127.0.0.1:" + silent.getLocalPort(),
            "us-east-1",
            true,
            false,
            Duration.ofSeconds(1),
            2);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try (S3Client s3 = S3Clients.sync(settings, credentials);
        S3AsyncClient async = S3Clients.async(settings, credentials)) {
      env.registerActivitiesImplementations(
          new JobActivitiesImpl(
              TestSettings.forWorkDir(temp),
              HostResources.forWorkDir(temp, 1),
              s3,
              S3Clients.transferManager(async),
              (jobId, update) -> {}));
      JobActivities jobs =
          env.newActivityStub(
              JobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(5))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      long started = System.nanoTime();

      ActivityFailure failure =
          assertThrows(
              ActivityFailure.class,
              () -> jobs.download(new DownloadInput("wedged", List.of("s3://media/a.mp3"))));

      double seconds = (System.nanoTime() - started) / 1e9;
      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertFalse(cause.isNonRetryable(), "a dead connection is worth retrying: " + cause);
      String message = cause.getOriginalMessage();
      assertTrue(
          message.contains("job wedged: segment 0 (s3://media/a.mp3) could not be downloaded"),
          message);
      assertTrue(
          message.toLowerCase().contains("timed out") || message.toLowerCase().contains("timeout"),
          message);
      assertTrue(seconds < 20, "2 tries of 1 s idle timeout took " + seconds + " s");
      assertTrue(accepted.size() >= 2, "the SDK retried: " + accepted.size() + " connections");
    } finally {
      env.close();
    }
  }
}
