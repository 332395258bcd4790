package dev.concat.activities;

import static dev.concat.activities.DownloadActivityTest.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.LoudnessSummary;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.ProbedOutput;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import dev.concat.contract.audio.SilenceTrim;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a listener gets: every job runs download -> concat -> upload through the real activities,
 * and the uploaded object, fetched back from S3, is checked with ffprobe and FFmpeg against what
 * was generated (lavfi sources of exact length: the producer's length).
 */
class AudioCorrectnessTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  /** The bound on the joined length: within 50 ms of the segments' sum. */
  private static final double DURATION_TOLERANCE = 0.05;

  private static final double CHAPTER_TOLERANCE = 0.03;

  /** Chapters at segments 0, 2 and 5 of six segments that sum to 6.5 s. */
  private static final double[] CHAPTERED = {1.2, 0.8, 1.5, 1.0, 0.6, 1.4};

  private static final List<Chapter> CHAPTERS =
      List.of(
          new Chapter(0, "Intro"),
          new Chapter(2, "Interview — Teil 2"),
          new Chapter(5, "Outro; #credits"));

  @TempDir Path temp;
  JobActivitiesHarness harness;

  @BeforeEach
  void start() {
    harness =
        new JobActivitiesHarness(
            TestSettings.forWorkDir(temp.resolve("work")), s3, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void joinsFortyMp3SegmentsGaplesslyWhereStreamCopyAddsPaddingAtEveryJoin() {
    List<Part> parts = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < 40; i++) {
      // 0.5 s to 1.5 s in 20 ms steps, no two alike (37 and 51 are coprime).
      double seconds = (500 + 20 * ((i * 37) % 51)) / 1000.0;
      parts.add(
          GeneratedAudio.sine(temp.resolve("s" + i + ".mp3"), seconds, 200 + 10 * i, 44_100, 2));
      sum += seconds;
    }
    List<String> segments = put("gapless", parts);

    Job reencoded = run("gapless", segments, "mp3", false, AudioSpec.DEFAULT);
    Job copied = run("gapless-copy", segments, "mp3", true, AudioSpec.DEFAULT);

    assertEquals("reencode", reencoded.output().mode());
    assertEquals(
        sum, reencoded.decodedSeconds(), DURATION_TOLERANCE, "decoded length of the uploaded MP3");
    assertEquals(
        sum,
        reencoded.output().durationSeconds(),
        DURATION_TOLERANCE,
        "the activity's reported length");
    assertEquals("copy", copied.output().mode());
    int joins = segments.size() - 1;
    // Copy keeps every segment's encoder delay and padding; measured about 39 ms per join.
    assertTrue(
        copied.decodedSeconds() > sum + 0.020 * joins,
        "stream copy plays " + copied.decodedSeconds() + " s for " + sum + " s of segments");
    // A stream copy is measured in ranges by the product's own meter: pyloudnorm reads the same.
    IndependentMeter independent = IndependentMeter.measure(copied.fetched());
    MeasuredAudio measured = copied.output().audio();
    assertEquals(copied.decodedSeconds(), measured.decodedSeconds(), 1e-6, "reported length");
    assertEquals(independent.integratedLufs(), measured.integratedLufs(), 0.05, "loudness");
    assertEquals(independent.truePeakDb(), measured.truePeakDb(), 0.2, "true peak");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "wav, mp3",
    "flac, mp3",
    "mp3, mp3",
    "m4a, mp3",
    "ogg, mp3",
    "opus, mp3",
    "wav, m4a",
    "flac, m4a",
    "mp3, m4a",
    "m4a, m4a",
    "ogg, m4a",
    "opus, m4a"
  })
  void joinsFiveSegmentsOfOneFormatToTheirExactSum(String format, String output) {
    double[] lengths = {1.3, 0.7, 2.1, 1.0, 1.6};
    int rate = format.equals("opus") ? 48_000 : 44_100;
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      parts.add(
          GeneratedAudio.sine(temp.resolve(i + "." + format), lengths[i], 300 + 60 * i, rate, 2));
    }
    String jobId = format + "-to-" + output;

    Job job = run(jobId, put(jobId, parts), output, false, AudioSpec.DEFAULT);

    double sum = Arrays.stream(lengths).sum();
    assertEquals(
        sum,
        job.decodedSeconds(),
        DURATION_TOLERANCE,
        jobId + ": decoded length of the uploaded file");
    assertEquals(
        sum,
        job.output().durationSeconds(),
        DURATION_TOLERANCE,
        jobId + ": the activity's reported length");
  }

  @Test
  void joinsOneSegmentOfEveryFormatAtMixedRatesAndChannelsIntoM4a() {
    List<Part> parts =
        List.of(
            GeneratedAudio.sine(temp.resolve("a.wav"), 1.2, 300, 8_000, 1),
            GeneratedAudio.sine(temp.resolve("b.flac"), 1.6, 350, 11_025, 2),
            GeneratedAudio.sine(temp.resolve("c.mp3"), 1.0, 400, 22_050, 1),
            GeneratedAudio.sine(temp.resolve("d.m4a"), 1.3, 450, 32_000, 2),
            GeneratedAudio.sine(temp.resolve("e.ogg"), 0.9, 500, 44_100, 1),
            GeneratedAudio.sine(temp.resolve("f.opus"), 1.1, 550, 48_000, 2));
    AudioSpec audio = new AudioSpec(new Encoding(96, 48_000, 1), null, null, 0, 0, null, List.of());

    Job job = run("mixed", put("mixed", parts), "m4a", true, audio);

    assertEquals("reencode", job.output().mode());
    ProbedOutput probe = ProbedOutput.of(job.fetched());
    assertEquals("aac", probe.codec());
    assertEquals(48_000, probe.sampleRate());
    assertEquals(1, probe.channels());
    assertEquals(
        96_000, probe.bitRate(), 96_000 * 0.15, "AAC's bit rate, roughly the 96 kb/s asked for");
    assertEquals(7.1, job.decodedSeconds(), DURATION_TOLERANCE);
    MeasuredAudio measured = job.output().audio();
    assertEquals(probe.codec(), measured.codec());
    assertEquals(probe.sampleRate(), measured.sampleRate());
    assertEquals(probe.channels(), measured.channels());
    assertEquals(probe.bitRate(), measured.bitRate(), probe.bitRate() * 0.02);
    assertEquals(job.decodedSeconds(), measured.decodedSeconds(), 0.01);
    assertEquals(
        ProbedOutput.loudness(job.fetched()).integratedLufs(), measured.integratedLufs(), 0.2);
  }

  @Test
  void writesMp3AtPodcastDefaultsWithAGaplessHeaderAndId3v23Tags() {
    double[] lengths = {1.5, 2.0, 1.0};
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      parts.add(
          GeneratedAudio.sine(temp.resolve(i + ".wav"), lengths[i], 440 + 100 * i, 48_000, 1));
    }
    var metadata = new EpisodeMetadata("Defaults", null, null, null, null);
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, metadata, List.of());

    Job job = run("defaults", put("defaults", parts), "mp3", false, audio);

    ProbedOutput probe = ProbedOutput.of(job.fetched());
    assertEquals("mp3", probe.codec());
    assertEquals(128_000, probe.bitRate());
    assertEquals(44_100, probe.sampleRate());
    assertEquals(2, probe.channels());
    ProbedOutput.Mp3Header header = ProbedOutput.mp3Header(job.fetched());
    assertEquals(3, header.id3Version(), "an ID3v2.3 tag starts the file");
    assertTrue(
        "Xing".equals(header.kind()) || "Info".equals(header.kind()),
        "no Xing/Info frame: " + header);
    // The LAME extension: FFmpeg's muxer writes it in LAME's layout with its own encoder string.
    assertTrue(
        header.encoder().startsWith("LAME") || header.encoder().startsWith("Lavc"),
        header.toString());
    assertTrue(
        header.delay() > 0 && header.padding() > 0, "no encoder delay and padding: " + header);
    assertEquals(
        4.5,
        header.gaplessSeconds(),
        DURATION_TOLERANCE,
        "the length a player reads from the header");
  }

  @Test
  void normalisesLoudnessWithOneLinearGain() {
    // Pink noise peaking near -12 dBFS, then the same 18 dB quieter (near -30 dBFS).
    List<String> segments =
        put(
            "loud",
            List.of(
                GeneratedAudio.pinkNoise(temp.resolve("quiet.flac"), 3.0, 0.4, -18, 44_100),
                GeneratedAudio.pinkNoise(temp.resolve("loud.flac"), 3.0, 0.4, 0, 44_100)));
    double produced = difference(temp.resolve("quiet.flac"), temp.resolve("loud.flac"), 0);

    Job podcast =
        run(
            "loudness",
            segments,
            "mp3",
            false,
            new AudioSpec(null, new Loudness(null, null), null, 0, 0, null, List.of()));
    Job custom =
        run(
            "loudness-custom",
            segments,
            "m4a",
            false,
            new AudioSpec(null, new Loudness(-19.0, -2.0), null, 0, 0, null, List.of()));

    assertLoudness(podcast, -16, -1, produced);
    assertLoudness(custom, -19, -2, produced);
  }

  private static void assertLoudness(
      Job job, double targetLufs, double ceilingDb, double produced) {
    LoudnessSummary whole = ProbedOutput.loudness(job.fetched());
    String what = job.fetched().getFileName() + " " + whole;
    assertEquals(targetLufs, whole.integratedLufs(), 1.0, what);
    assertTrue(whole.truePeakDb() <= ceilingDb + 0.3, what);
    assertEquals(
        produced,
        difference(job.fetched(), job.fetched(), 3.0),
        0.5,
        "the quiet segment stays as far below the loud one as produced: " + what);
    assertEquals(6.0, job.decodedSeconds(), DURATION_TOLERANCE, what);
    MeasuredAudio measured = job.output().audio();
    assertEquals(
        whole.integratedLufs(),
        measured.integratedLufs(),
        0.2,
        "the activity's measure: " + measured);
    assertNotNull(measured.gainDb(), "the gain applied is reported");
  }

  /**
   * How much louder the 3 s at {@code loudOffset} in {@code loud} are than the first 3 s of {@code
   * quiet}, 0.1 s clear of the edges.
   */
  private static double difference(Path quiet, Path loud, double loudOffset) {
    return ProbedOutput.loudness(loud, loudOffset + 0.1, loudOffset + 2.9).integratedLufs()
        - ProbedOutput.loudness(quiet, 0.1, 2.9).integratedLufs();
  }

  @ParameterizedTest
  @ValueSource(strings = {"mp3", "m4a"})
  void tagsTheEpisodeAndAttachesItsCover(String format) {
    List<String> segments = twoShortSegments("tagged-" + format);
    String cover =
        s3.put("tagged-" + format + "/cover.jpg", GeneratedAudio.cover(temp.resolve("cover.jpg")));
    String title = "Épisode 42 — «Ça va?» a=b; c#d 日本語";
    var metadata = new EpisodeMetadata(title, "Zoë Ångström", "Les Ondes #3", 42, cover);

    Job job =
        run(
            "tagged-" + format,
            segments,
            format,
            false,
            new AudioSpec(null, null, null, 0, 0, metadata, List.of()));

    ProbedOutput probe = ProbedOutput.of(job.fetched());
    Map<String, String> tags = probe.tags();
    assertEquals(title, tags.get("title"), tags.toString());
    assertEquals("Zoë Ångström", tags.get("artist"), tags.toString());
    assertEquals("Les Ondes #3", tags.get("album"), tags.toString());
    assertEquals("42", tags.get("track"), tags.toString());
    assertEquals(List.of("mjpeg"), probe.attachedPictures());
  }

  @Test
  void attachesAPngCover() {
    List<String> segments = twoShortSegments("png");
    String cover = s3.put("png/cover.png", GeneratedAudio.cover(temp.resolve("cover.png")));
    var metadata = new EpisodeMetadata("With a PNG", null, null, null, cover);

    Job job =
        run(
            "png",
            segments,
            "mp3",
            false,
            new AudioSpec(null, null, null, 0, 0, metadata, List.of()));

    assertEquals(List.of("png"), ProbedOutput.of(job.fetched()).attachedPictures());
  }

  @Test
  void aTextFileNamedJpgIsAnInvalidCover() {
    List<String> segments = twoShortSegments("badcover");
    String cover = s3.put("badcover/cover.jpg", "not a picture\n".getBytes(StandardCharsets.UTF_8));
    var metadata = new EpisodeMetadata("Bad cover", null, null, null, cover);
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, metadata, List.of());
    String output = "s3://" + S3TestServer.BUCKET + "/out/badcover.mp3";
    var jobs = harness.stub();

    ApplicationFailure failure =
        failureOf(
            () -> {
              jobs.download(new DownloadInput("badcover", segments, output, null, cover));
              jobs.concat(new ConcatInput("badcover", segments, output, false, audio));
            });

    assertEquals(FailureType.INVALID_COVER.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains(cover), failure.getOriginalMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mp3", "m4a"})
  void chaptersStartWhereTheirSegmentsStart(String format) {
    Job job =
        run(
            "chapters-" + format,
            chapteredSegments("chapters-" + format),
            format,
            false,
            new AudioSpec(null, null, null, 0, 0, null, CHAPTERS));

    assertChapters(job, 0, 0);
  }

  @Test
  void gapsShiftEveryLaterChapterAndLengthenTheEpisode() {
    Job job =
        run(
            "gaps",
            chapteredSegments("gaps"),
            "mp3",
            false,
            new AudioSpec(null, null, null, 500, 0, null, CHAPTERS));

    assertChapters(job, 0.5, 0);
  }

  @Test
  void crossfadesOverlapSegmentsAndShortenTheEpisode() {
    Job job =
        run(
            "crossfade",
            chapteredSegments("crossfade"),
            "mp3",
            false,
            new AudioSpec(null, null, null, 0, 300, null, CHAPTERS));

    assertChapters(job, 0, 0.3);
  }

  private List<String> chapteredSegments(String prefix) {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < CHAPTERED.length; i++) {
      parts.add(
          GeneratedAudio.sine(temp.resolve(i + ".mp3"), CHAPTERED[i], 300 + 80 * i, 44_100, 2));
    }
    return put(prefix, parts);
  }

  /**
   * Each chapter starts at its segment's start: the lengths before it, plus gaps, minus overlaps.
   */
  private static void assertChapters(Job job, double gapSeconds, double overlapSeconds) {
    double[] starts = new double[CHAPTERED.length];
    double position = 0;
    for (int i = 0; i < CHAPTERED.length; i++) {
      position += i == 0 ? 0 : gapSeconds - overlapSeconds;
      starts[i] = position;
      position += CHAPTERED[i];
    }
    double total = position;
    List<ProbedOutput.Chapter> chapters = ProbedOutput.of(job.fetched()).chapters();
    String what = job.fetched().getFileName() + " " + chapters;
    assertEquals(CHAPTERS.size(), chapters.size(), what);
    for (int c = 0; c < CHAPTERS.size(); c++) {
      assertEquals(CHAPTERS.get(c).title(), chapters.get(c).title(), what);
      assertEquals(
          starts[CHAPTERS.get(c).firstSegment()], chapters.get(c).start(), CHAPTER_TOLERANCE, what);
    }
    assertEquals(
        total,
        chapters.get(CHAPTERS.size() - 1).end(),
        CHAPTER_TOLERANCE,
        "last chapter ends at the end: " + what);
    assertEquals(total, job.decodedSeconds(), DURATION_TOLERANCE, what);
    assertEquals(CHAPTERS.size(), job.output().audio().chapters());
  }

  @Test
  void trimsLeadingAndTrailingSilenceOnlyWhenAsked() {
    double[][] shapes = {{0.5, 1.0, 0.5}, {0.3, 1.2, 0.7}, {0.6, 0.8, 0.2}};
    List<Part> parts = new ArrayList<>();
    double full = 0;
    double tones = 0;
    for (int i = 0; i < shapes.length; i++) {
      double[] s = shapes[i];
      parts.add(
          GeneratedAudio.sineInSilence(
              temp.resolve(i + ".mp3"), s[0], s[1], s[2], 400 + 100 * i, 44_100));
      full += s[0] + s[1] + s[2];
      tones += s[1];
    }
    List<String> segments = put("silence", parts);

    Job kept = run("silence-kept", segments, "mp3", false, AudioSpec.DEFAULT);
    Job trimmed =
        run(
            "silence-trimmed",
            segments,
            "mp3",
            false,
            new AudioSpec(null, null, new SilenceTrim(null), 0, 0, null, List.of()));

    assertEquals(
        full,
        kept.decodedSeconds(),
        DURATION_TOLERANCE,
        "silence is kept unless trimming is asked for");
    assertEquals(tones, trimmed.decodedSeconds(), 0.1, "only the tones are left");
    assertEquals(trimmed.decodedSeconds(), trimmed.output().durationSeconds(), 0.01);
  }

  @Test
  void aCrossfadeLongerThanASegmentNamesTheSegment() {
    List<String> segments =
        put(
            "shortfade",
            List.of(
                GeneratedAudio.sine(temp.resolve("0.mp3"), 2.0, 440, 44_100, 2),
                GeneratedAudio.sine(temp.resolve("1.mp3"), 0.4, 550, 44_100, 2),
                GeneratedAudio.sine(temp.resolve("2.mp3"), 2.0, 660, 44_100, 2)));
    String output = "s3://" + S3TestServer.BUCKET + "/out/shortfade.mp3";
    var jobs = harness.stub();
    jobs.download(new DownloadInput("shortfade", segments));

    ApplicationFailure failure =
        failureOf(
            () ->
                jobs.concat(
                    new ConcatInput(
                        "shortfade",
                        segments,
                        output,
                        false,
                        new AudioSpec(null, null, null, 0, 300, null, List.of()))));

    assertEquals(FailureType.INVALID_SEGMENT.type(), failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure.getOriginalMessage().contains("segment 1 (" + segments.get(1) + ")"),
        failure.getOriginalMessage());
  }

  private List<String> twoShortSegments(String prefix) {
    return put(
        prefix,
        List.of(
            GeneratedAudio.sine(temp.resolve("0.mp3"), 1.0, 440, 44_100, 2),
            GeneratedAudio.sine(temp.resolve("1.mp3"), 1.0, 660, 44_100, 2)));
  }

  /** Makes the parts and puts each into the bucket under {@code prefix}, in order. */
  private List<String> put(String prefix, List<Part> parts) {
    return GeneratedAudio.make(parts).stream()
        .map(file -> s3.put(prefix + "/" + file.getFileName(), file))
        .toList();
  }

  /**
   * A finished job: what the concat activity reported, the uploaded object fetched back, and how
   * long that object plays through FFmpeg's decoder.
   */
  private record Job(ConcatOutput output, Path fetched, double decodedSeconds) {}

  /**
   * download -> concat -> upload through the activities, then the output fetched from the bucket.
   */
  private Job run(
      String jobId, List<String> segments, String extension, boolean allowCopy, AudioSpec audio) {
    String key = "out/" + jobId + "." + extension;
    String output = "s3://" + S3TestServer.BUCKET + "/" + key;
    var jobs = harness.stub();
    jobs.download(new DownloadInput(jobId, segments, output, null, audio.cover()));
    ConcatOutput joined = jobs.concat(new ConcatInput(jobId, segments, output, allowCopy, audio));
    jobs.upload(new UploadInput(jobId, output));
    Path fetched = s3.get(key, temp.resolve(jobId + "-fetched." + extension));
    return new Job(joined, fetched, SampleAudio.decodedSeconds(fetched));
  }
}
