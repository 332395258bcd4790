package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.ProgressUpdate;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** download -> concat -> upload against a real S3 API and real FFmpeg. */
class PipelineTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  JobActivitiesHarness harness;

  @BeforeEach
  void start() {
    s3.store().reset();
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void joinsMp3SegmentsWithoutGapsAndUploadsTheResult() throws Exception {
    double[] lengths = {1.3, 2.0, 0.7, 2.4, 1.1};
    List<String> segments = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < lengths.length; i++) {
      Path file = SampleAudio.sine(temp.resolve("part" + i + ".mp3"), lengths[i], 300 + 100 * i);
      segments.add(s3.put("episodes/ep1/part " + i + ".mp3", file));
      sum += lengths[i];
    }
    String output = "s3://" + S3TestServer.BUCKET + "/episodes/ep1/full.mp3";
    var jobs = harness.stub();

    DownloadResult downloaded = jobs.download(new DownloadInput("ep1", segments));
    ConcatOutput joined = jobs.concat(new ConcatInput("ep1", segments, output, false));
    UploadResult uploaded = jobs.upload(new UploadInput("ep1", output));

    assertEquals(lengths.length, downloaded.segments());
    assertEquals(lengths.length, s3.store().gets());
    assertEquals("reencode", joined.mode());
    assertEquals(sum, joined.durationSeconds(), 0.05, "ffprobe's duration of the joined file");
    assertEquals(joined.sizeBytes(), uploaded.bytes());

    HeadObjectResponse head =
        s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("episodes/ep1/full.mp3"));
    assertEquals("audio/mpeg", head.contentType());
    assertEquals(joined.sizeBytes(), head.contentLength());
    Path fetched = s3.get("episodes/ep1/full.mp3", temp.resolve("fetched.mp3"));
    assertEquals(
        sum, SampleAudio.decodedSeconds(fetched), 0.05, "decoded duration of the uploaded object");

    assertFalse(Files.exists(harness.jobDir("ep1")), "upload deletes the work directory");
    assertProgressReported("download", lengths.length);
    assertProgressReported("concat", lengths.length);
  }

  @Test
  void copiesStreamsWhenInputsMatchAndTheRequestAllowsIt() {
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      segments.add(
          s3.put(
              "copy/part" + i + ".mp3",
              SampleAudio.sine(temp.resolve("c" + i + ".mp3"), 2.0, 500 + 50 * i)));
    }
    String output = "s3://" + S3TestServer.BUCKET + "/copy/full.mp3";
    var jobs = harness.stub();

    jobs.download(new DownloadInput("copy", segments));
    ConcatOutput joined = jobs.concat(new ConcatInput("copy", segments, output, true));

    assertEquals("copy", joined.mode());
    // Copying keeps each segment's encoder delay and padding: up to one 26 ms frame per join.
    assertEquals(6.0, joined.durationSeconds(), 0.05 + 0.027 * (segments.size() - 1));
  }

  @Test
  void reencodesMixedFormatsIntoM4a() {
    List<String> segments =
        List.of(
            s3.put("mixed/a.wav", SampleAudio.sine(temp.resolve("a.wav"), 1.5, 440, 48000, 1)),
            s3.put("mixed/b.mp3", SampleAudio.sine(temp.resolve("b.mp3"), 2.0, 550)),
            s3.put("mixed/c.m4a", SampleAudio.sine(temp.resolve("c.m4a"), 1.0, 660)));
    String output = "s3://" + S3TestServer.BUCKET + "/mixed/full.m4a";
    var jobs = harness.stub();

    jobs.download(new DownloadInput("mixed", segments));
    ConcatOutput joined = jobs.concat(new ConcatInput("mixed", segments, output, true));
    jobs.upload(new UploadInput("mixed", output));

    assertEquals("reencode", joined.mode());
    assertEquals(
        "audio/mp4",
        s3.s3().headObject(b -> b.bucket(S3TestServer.BUCKET).key("mixed/full.m4a")).contentType());
    Path fetched = s3.get("mixed/full.m4a", temp.resolve("fetched.m4a"));
    assertEquals(4.5, SampleAudio.decodedSeconds(fetched), 0.05);
    assertEquals(4.5, joined.durationSeconds(), 0.05);
  }

  private void assertProgressReported(String phase, long total) {
    var updates = harness.updates(phase);
    assertFalse(updates.isEmpty(), "no " + phase + " progress reported");
    long previous = 0;
    for (ProgressUpdate u : updates) {
      assertTrue(
          u.done() > previous && u.done() <= total, phase + " progress not advancing: " + updates);
      assertEquals(total, u.total());
      assertEquals(TestSettings.WORKER, u.worker());
      previous = u.done();
    }
  }
}
