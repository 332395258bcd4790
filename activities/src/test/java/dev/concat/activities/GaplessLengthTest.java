package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.Mp4Boxes;
import dev.concat.activities.testing.ProbedOutput;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Chapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The output is exactly as long as its inputs, in samples: decoded by FFmpeg, and for M4A also as a
 * gapless player reads it from the file's own edit list and iTunSMPB tag (parsed here from the
 * bytes). FFmpeg 5.1 trims an M4A's priming but plays its end padding, so what it decodes must be
 * the inputs plus exactly the padding the tag declares.
 */
class GaplessLengthTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  private static final int RATE = 44_100;

  /** The AAC encoder's priming, which FFmpeg's MP4 muxer puts at the edit list's start. */
  private static final int AAC_PRIMING = 1024;

  private static final int AAC_FRAME = 1024;

  /**
   * Segment lengths in tenths of a second (4410 samples each), none a multiple of a codec frame.
   */
  private static final int[] TENTHS = {13, 7, 21, 10, 16};

  private static final List<Chapter> CHAPTERS =
      List.of(new Chapter(0, "One"), new Chapter(2, "Three"), new Chapter(4, "Five"));

  @TempDir Path temp;
  JobActivitiesHarness harness;

  @BeforeEach
  void start() {
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  /**
   * flac: all one codec, joined by the demuxer; wav: the same at half the output's rate, so the
   * joined stream is resampled; mixed: WAV, FLAC, MP3, each decoded first.
   */
  @ParameterizedTest(name = "{0} segments at {1} Hz -> {2}, chapters: {3}")
  @CsvSource({
    "flac, 44100, m4a, false",
    "wav, 22050, m4a, false",
    "mixed, 44100, m4a, true",
    "flac, 44100, mp3, false",
    "mixed, 44100, mp3, true"
  })
  void decodesToExactlyTheInputsSamples(
      String inputs, int inputRate, String format, boolean chapters) {
    String jobId = inputs + "-" + inputRate + "-" + format + (chapters ? "-chapters" : "");
    List<Part> parts = new ArrayList<>();
    long[] starts = new long[TENTHS.length];
    long expected = 0;
    for (int i = 0; i < TENTHS.length; i++) {
      String extension = inputs.equals("mixed") ? List.of("wav", "flac", "mp3").get(i % 3) : inputs;
      parts.add(
          GeneratedAudio.sine(
              temp.resolve(i + "." + extension), TENTHS[i] / 10.0, 300 + 70 * i, inputRate, 2));
      starts[i] = expected;
      expected += TENTHS[i] * (RATE / 10);
    }
    List<String> segments =
        GeneratedAudio.make(parts).stream()
            .map(file -> s3.put(jobId + "/" + file.getFileName(), file))
            .toList();
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, null, chapters ? CHAPTERS : List.of());

    ConcatOutput output = run(jobId, segments, format, audio);
    Path file = s3.get("out/" + jobId + "." + format, temp.resolve(jobId + "." + format));

    long decoded = IndependentMeter.measure(file).samples();
    assertEquals(
        (double) expected / RATE,
        output.durationSeconds(),
        0.5 / RATE,
        "the result's durationSeconds");
    if (format.equals("mp3")) {
      assertEquals(expected, decoded, "samples FFmpeg decodes from the MP3");
    } else {
      Mp4Boxes boxes = Mp4Boxes.read(file);
      long[] smpb = boxes.smpbPrimingPaddingSamples();
      String what = jobId + ": " + boxes;
      assertEquals(RATE, boxes.movieTimescale(), what);
      assertEquals(AAC_PRIMING, boxes.editMediaTime(), what);
      assertEquals(expected, boxes.editDuration(), "the edit list's length: " + what);
      assertEquals(AAC_PRIMING, smpb[0], "iTunSMPB priming: " + what);
      assertEquals(expected, smpb[2], "iTunSMPB length: " + what);
      assertEquals(0, (smpb[0] + smpb[1] + smpb[2]) % AAC_FRAME, "whole frames: " + what);
      assertEquals(
          expected + smpb[1], decoded, "FFmpeg plays the inputs and the declared padding: " + what);
    }
    if (chapters) {
      List<ProbedOutput.Chapter> read = ProbedOutput.of(file).chapters();
      assertEquals(CHAPTERS.size(), read.size(), read.toString());
      for (int c = 0; c < CHAPTERS.size(); c++) {
        double start = (double) starts[CHAPTERS.get(c).firstSegment()] / RATE;
        // Chapter times are stored in milliseconds.
        assertEquals(start, read.get(c).start(), 0.0005 + 1e-9, "chapter " + c + ": " + read);
      }
      assertTrue(
          Math.abs(read.get(CHAPTERS.size() - 1).end() - (double) expected / RATE) <= 0.0005 + 1e-9,
          "the last chapter ends at the end: " + read);
    }
  }

  private ConcatOutput run(String jobId, List<String> segments, String extension, AudioSpec audio) {
    String output = "s3://" + S3TestServer.BUCKET + "/out/" + jobId + "." + extension;
    var jobs = harness.stub();
    jobs.download(new DownloadInput(jobId, segments, output, null, null));
    ConcatOutput joined = jobs.concat(new ConcatInput(jobId, segments, output, false, audio));
    jobs.upload(new UploadInput(jobId, output));
    return joined;
  }
}
