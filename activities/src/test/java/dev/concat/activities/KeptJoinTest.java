package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.activities.testing.Tmpfs;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.Loudness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loudness-normalised join encoded from the audio its first pass kept on disk, against the same
 * join decoded from the segments again where the disk has no room for it, through the real
 * activities: the same output file to the byte, on target as another meter (pyloudnorm) reads it.
 */
class KeptJoinTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  private static final String KEPT = "joined.kept.wav";
  private static final Loudness TARGET = new Loudness(-16.0, -1.0);

  @TempDir Path temp;

  @Test
  void theEncodeFromTheKeptJoinWritesTheSameFileAsFromTheSegments() throws Exception {
    // 24 s of 44.1 kHz stereo: 8.5 MB kept, more than half of an 8 MB disk.
    List<String> segments = segments("same", 12);

    Job roomy = run("same-roomy", temp.resolve("roomy"), segments, null);
    Job tight;
    try (Tmpfs disk = Tmpfs.mount(temp.resolve("tight"), "8m")) {
      tight = run("same-tight", disk.dir(), segments, null);
    }

    assertTrue(roomy.sawKeptJoin(), "the roomy disk keeps the join");
    assertFalse(tight.sawKeptJoin(), "an 8 MB disk has no room for 8.5 MB of joined audio");
    assertArrayEquals(
        Files.readAllBytes(tight.output()),
        Files.readAllBytes(roomy.output()),
        "the same MP3 either way");
    assertEquals(-16.0, IndependentMeter.measure(roomy.output()).integratedLufs(), 0.1);
    assertFalse(roomy.leftKeptJoin(), "the kept join is deleted once the encodes are done");
  }

  @Test
  void aDiskThatFillsWhileTheJoinIsKeptIsMeasuredAgainWithoutKeepingIt() throws Exception {
    // 3 minutes of stereo: 64 MB kept, under half of a 160 MB disk, so the first pass keeps it;
    // the test fills the disk as soon as the kept file appears.
    List<String> segments = segments("fill", 90);
    try (Tmpfs disk = Tmpfs.mount(temp.resolve("fill"), "160m")) {
      Path filler = disk.dir().resolve("filler");
      Job job = run("fill", disk.dir(), segments, filler);

      assertTrue(job.sawKeptJoin(), "the first pass started keeping the join");
      assertTrue(job.filledAt() >= 0, "the disk was filled while the join was kept");
      assertFalse(job.leftKeptJoin(), "the part kept before the disk filled is deleted");
      assertEquals(-16.0, IndependentMeter.measure(job.output()).integratedLufs(), 0.1);
      System.out.printf(
          "the disk filled when the kept join held %d bytes; the job completed%n", job.filledAt());
    }
  }

  /** Two stereo segments of {@code seconds} each, a tone and pink noise, in the bucket. */
  private List<String> segments(String prefix, double seconds) {
    List<Path> files =
        GeneratedAudio.make(
            List.of(
                GeneratedAudio.sine(temp.resolve(prefix + "-tone.flac"), seconds, 330, 44_100, 2),
                GeneratedAudio.pinkNoise(
                    temp.resolve(prefix + "-noise.flac"), seconds, 0.3, 0, 44_100)));
    List<String> uris = new ArrayList<>();
    for (Path file : files) {
      uris.add(s3.put(prefix + "/" + file.getFileName(), file));
    }
    return uris;
  }

  /**
   * @param sawKeptJoin whether a kept join (or its part) was seen in the work directory
   * @param filledAt how large the kept part was when the disk was filled; -1 if it was not
   * @param leftKeptJoin whether one is still there after the concat
   */
  private record Job(Path output, boolean sawKeptJoin, long filledAt, boolean leftKeptJoin) {}

  /**
   * Runs a -16 LUFS MP3 job with its work directory in {@code workDir}, watching for the kept join;
   * with {@code filler}, fills the disk to its last 256 KB the moment the kept join appears.
   */
  private Job run(String jobId, Path workDir, List<String> segments, Path filler) throws Exception {
    String key = "out/" + jobId + ".mp3";
    String output = "s3://" + S3TestServer.BUCKET + "/" + key;
    AudioSpec audio =
        new AudioSpec(new Encoding(128, 44_100, 2), TARGET, null, 0, 0, null, List.of());
    AtomicBoolean saw = new AtomicBoolean();
    AtomicLong filledAt = new AtomicLong(-1);
    AtomicBoolean done = new AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                Optional<Path> kept = kept(workDir);
                if (kept.isPresent()) {
                  saw.set(true);
                  if (filler != null && filledAt.get() < 0) {
                    filledAt.set(size(kept.get()));
                    fill(filler);
                  }
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "kept-join-watcher");
    watcher.setDaemon(true);
    boolean left;
    try (JobActivitiesHarness harness =
        new JobActivitiesHarness(TestSettings.forWorkDir(workDir), s3, Duration.ofSeconds(30))) {
      var jobs = harness.stub();
      jobs.download(new DownloadInput(jobId, segments, output, null, null));
      watcher.start();
      try {
        jobs.concat(new ConcatInput(jobId, segments, output, false, audio));
      } finally {
        done.set(true);
        watcher.join();
      }
      left = kept(workDir).isPresent();
      if (filler != null) {
        Files.deleteIfExists(filler);
      }
      jobs.upload(new UploadInput(jobId, output));
    }
    Path fetched = s3.get(key, temp.resolve(jobId + ".mp3"));
    return new Job(fetched, saw.get(), filledAt.get(), left);
  }

  private static Optional<Path> kept(Path workDir) {
    try (Stream<Path> files = Files.walk(workDir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(KEPT)).findFirst();
    } catch (IOException | UncheckedIOException vanishedWhileListed) {
      return Optional.empty();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Writes zeros into {@code filler} until the disk has no more than 256 KB left. */
  private static void fill(Path filler) {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (Files.getFileStore(filler).getUsableSpace() > 256 * 1024 + block.length) {
        out.write(block);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
