package dev.concat.app.it;

import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import dev.concat.contract.JobState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Looks at a job's output key every 100 ms from its own thread, with a client that neither retries
 * nor waits long: what any reader of the bucket would see at that moment, S3 up or down. Each look
 * also notes the job's state, for the report.
 */
final class OutputKeyWatch implements AutoCloseable {
  /**
   * One look: the object's size, or -1 when there was none (or S3 did not answer), and the job's
   * state.
   */
  record Look(long atNanos, long size, JobState state) {
    boolean sawObject() {
      return size >= 0;
    }
  }

  private static final long INTERVAL_MILLIS = 100;

  private final JobClient jobs;
  private final String key;
  private final String jobId;
  private final S3Client probe;
  private final List<Look> looks = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  OutputKeyWatch(S3Fixture s3, JobClient jobs, String key, String jobId) {
    this.jobs = jobs;
    this.key = key;
    this.jobId = jobId;
    var settings =
        new S3Settings(
            s3.endpoint().toString(), S3Fixture.REGION, true, true, Duration.ofSeconds(2), 1);
    this.probe =
        S3Clients.sync(
            settings,
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Fixture.ACCESS_KEY, S3Fixture.SECRET_KEY)));
    this.thread = new Thread(this::watch, "output-key-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    while (running) {
      long size = sizeOrMissing();
      JobState state = null;
      try {
        state = jobs.status(jobId).state();
      } catch (RuntimeException queryFailed) {
        // The state is only context for the report.
      }
      looks.add(new Look(System.nanoTime(), size, state));
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long sizeOrMissing() {
    try {
      return probe.headObject(b -> b.bucket(S3Fixture.BUCKET).key(key)).contentLength();
    } catch (RuntimeException absentOrDown) {
      return -1;
    }
  }

  /** Stops looking and returns every look, in order. */
  List<Look> stop() throws InterruptedException {
    running = false;
    thread.join(10_000);
    return List.copyOf(looks);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    probe.close();
  }
}
