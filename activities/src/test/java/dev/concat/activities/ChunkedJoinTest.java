package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.Mp4Boxes;
import dev.concat.activities.testing.ProbedOutput;
import dev.concat.activities.testing.Processes;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-encoded MP3 or M4A join over the chunking threshold (20 s here, 5 s chunks), run through the
 * real activities: it decodes to exactly its inputs' samples, carries the one-pass encode's tags
 * (an MP3's ID3 tag byte for byte), meets a loudness target by pyloudnorm's reading, an attempt
 * after a failed one on the same host encodes only the chunks that were not finished, and a
 * cancellation mid-encode leaves no process and no file.
 */
class ChunkedJoinTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  private static final int RATE = 44_100;
  private static final ChunkedEncoding SMALL_CHUNKS =
      new ChunkedEncoding(Duration.ofSeconds(20), Duration.ofSeconds(5));

  /** Segment lengths in tenths of a second: 21.7 s, none a whole number of MP3 frames. */
  private static final int[] TENTHS = {53, 61, 47, 56};

  private static final List<Chapter> CHAPTERS =
      List.of(new Chapter(0, "Start"), new Chapter(2, "Middle"), new Chapter(3, "End"));

  /** What LoudnessTargetTest asks of normalised output, measured by pyloudnorm. */
  private static final double TARGET_TOLERANCE_LU = 0.1;

  private static final double REPORT_TOLERANCE = 0.05;

  @TempDir Path temp;
  private final List<JobActivitiesHarness> harnesses = new ArrayList<>();

  @AfterEach
  void stop() {
    harnesses.forEach(JobActivitiesHarness::close);
  }

  @Test
  void decodesToExactlyTheInputsWithTheOnePassTagChaptersAndCover() throws IOException {
    String cover = s3.put("chunked/cover.jpg", GeneratedAudio.cover(temp.resolve("cover.jpg")));
    var metadata = new EpisodeMetadata("Chunked — «épisode»", "Zoë", "Les Ondes", 7, cover);
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, metadata, CHAPTERS);
    List<String> segments = segments("tagged", tones());

    Path chunked = run(harness("chunked", SMALL_CHUNKS), "tagged", segments, audio, cover);
    assertTrue(chunkEncoders("chunked") > 1, "encoded in chunks");
    Path onePass =
        run(harness("one-pass", ChunkedEncoding.DEFAULT), "tagged", segments, audio, cover);
    assertEquals(0, chunkEncoders("one-pass"), "by default: one FFmpeg");

    long expected = 0;
    for (int tenths : TENTHS) {
      expected += tenths * (RATE / 10L);
    }
    assertEquals(expected, IndependentMeter.measure(chunked).samples(), "samples decoded");
    assertArrayEquals(id3Tag(onePass), id3Tag(chunked), "the ID3v2 tag, byte for byte");
    ProbedOutput probe = ProbedOutput.of(chunked);
    Map<String, String> tags = probe.tags();
    assertEquals("Chunked — «épisode»", tags.get("title"), tags.toString());
    assertEquals("Zoë", tags.get("artist"), tags.toString());
    assertEquals(List.of("mjpeg"), probe.attachedPictures());
    List<ProbedOutput.Chapter> chapters = probe.chapters();
    assertEquals(List.of("Start", "Middle", "End"), chapters.stream().map(c -> c.title()).toList());
    double middle = (TENTHS[0] + TENTHS[1]) / 10.0;
    assertEquals(middle, chapters.get(1).start(), 0.0005 + 1e-9, chapters.toString());
    assertEquals((double) expected / RATE, chapters.get(2).end(), 0.0005 + 1e-9);
  }

  /**
   * An M4A's chunks: AAC frames joined, then muxed with the one-pass file's tags, chapters, cover,
   * edit list and iTunSMPB tag, so that a gapless player plays exactly the inputs.
   */
  @Test
  void anM4aPlaysExactlyTheInputsWithTheOnePassTagsChaptersAndEditList() throws IOException {
    String cover = s3.put("chunked-m4a/cover.png", GeneratedAudio.cover(temp.resolve("cover.png")));
    var metadata = new EpisodeMetadata("Chunked — «épisode»", "Zoë", "Les Ondes", 7, cover);
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, metadata, CHAPTERS);
    List<String> segments = segments("m4a", tones());

    Path chunked = run(harness("m4a-chunked", SMALL_CHUNKS), "m4a", segments, audio, cover, "m4a");
    ConcatOutput chunkedOutput = lastOutput;
    assertTrue(aacChunkEncoders("m4a-chunked") > 1, "encoded in chunks");
    Path onePass =
        run(harness("m4a-one-pass", ChunkedEncoding.DEFAULT), "m4a", segments, audio, cover, "m4a");
    assertEquals(0, aacChunkEncoders("m4a-one-pass"), "by default: one FFmpeg");

    long expected = 0;
    for (int tenths : TENTHS) {
      expected += tenths * (RATE / 10L);
    }
    Mp4Boxes boxes = Mp4Boxes.read(chunked);
    Mp4Boxes onePassBoxes = Mp4Boxes.read(onePass);
    String what = "chunked " + boxes + ", one pass " + onePassBoxes;
    assertEquals(RATE, boxes.movieTimescale(), what);
    assertEquals(1024, boxes.editMediaTime(), "the edit list skips the priming: " + what);
    assertEquals(expected, boxes.editDuration(), "the edit list's length: " + what);
    // These lengths once left the one-pass file a sample short (JoinCommand's rounded timestamps).
    assertEquals(expected, onePassBoxes.editDuration(), "one pass's edit list: " + what);
    assertArrayEquals(
        onePassBoxes.smpbPrimingPaddingSamples(),
        boxes.smpbPrimingPaddingSamples(),
        "iTunSMPB: " + what);
    long padding = boxes.smpbPrimingPaddingSamples()[1];
    assertEquals(
        expected + padding,
        IndependentMeter.measure(chunked).samples(),
        "FFmpeg plays the inputs and the declared padding");
    assertEquals((double) expected / RATE, chunkedOutput.durationSeconds(), 0.5 / RATE);

    ProbedOutput probe = ProbedOutput.of(chunked);
    ProbedOutput onePassProbe = ProbedOutput.of(onePass);
    assertEquals(onePassProbe.tags(), probe.tags());
    assertEquals("Zoë", probe.tags().get("artist"), probe.tags().toString());
    assertEquals(List.of("png"), probe.attachedPictures());
    assertEquals(onePassProbe.chapters(), probe.chapters());
    assertEquals(
        List.of("Start", "Middle", "End"), probe.chapters().stream().map(c -> c.title()).toList());
  }

  @Test
  void normalisedM4aMeetsTheTargetByAnotherMeter() throws IOException {
    AudioSpec audio = new AudioSpec(null, new Loudness(-16.0, -1.0), null, 0, 0, null, List.of());
    List<Part> parts =
        List.of(
            GeneratedAudio.pinkNoise(temp.resolve("m0.wav"), 8, 0.5, -6, RATE),
            GeneratedAudio.sine(temp.resolve("m1.wav"), 6.3, 440, RATE, 2, -4),
            GeneratedAudio.pinkNoise(temp.resolve("m2.wav"), 7.1, 0.5, -14, RATE));
    Path file =
        run(
            harness("loud-m4a", SMALL_CHUNKS),
            "loud-m4a",
            segments("loud-m4a", parts),
            audio,
            null,
            "m4a");
    assertTrue(aacChunkEncoders("loud-m4a") > 1, "encoded in chunks");

    IndependentMeter meter = IndependentMeter.measure(file);
    MeasuredAudio reported = lastOutput.audio();
    String what = "pyloudnorm " + meter + ", concat " + reported;
    assertEquals(-16.0, meter.integratedLufs(), TARGET_TOLERANCE_LU, what);
    assertTrue(meter.truePeakDb() <= -1.0, what);
    assertNull(reported.loudnessShortfall(), what);
    assertEquals("aac", reported.codec(), what);
    assertEquals(meter.integratedLufs(), reported.integratedLufs(), REPORT_TOLERANCE, what);
    assertEquals(meter.truePeakDb(), reported.truePeakDb(), REPORT_TOLERANCE, what);
    assertEquals(meter.loudnessRangeLu(), reported.loudnessRangeLu(), REPORT_TOLERANCE, what);
  }

  @Test
  void normalisedJoinMeetsTheTargetByAnotherMeter() throws IOException {
    AudioSpec audio = new AudioSpec(null, new Loudness(-16.0, -1.0), null, 0, 0, null, List.of());
    List<Part> parts =
        List.of(
            GeneratedAudio.pinkNoise(temp.resolve("p0.wav"), 8, 0.5, -6, RATE),
            GeneratedAudio.sine(temp.resolve("p1.wav"), 6.3, 440, RATE, 2, -4),
            GeneratedAudio.pinkNoise(temp.resolve("p2.wav"), 7.1, 0.5, -14, RATE));
    Path file = run(harness("loud", SMALL_CHUNKS), "loud", segments("loud", parts), audio, null);
    assertTrue(chunkEncoders("loud") > 1, "encoded in chunks");

    IndependentMeter meter = IndependentMeter.measure(file);
    MeasuredAudio reported = lastOutput.audio();
    String what = "pyloudnorm " + meter + ", concat " + reported;
    assertEquals(-16.0, meter.integratedLufs(), TARGET_TOLERANCE_LU, what);
    assertTrue(meter.truePeakDb() <= -1.0, what);
    assertNull(reported.loudnessShortfall(), what);
    assertEquals(meter.integratedLufs(), reported.integratedLufs(), REPORT_TOLERANCE, what);
    assertEquals(meter.truePeakDb(), reported.truePeakDb(), REPORT_TOLERANCE, what);
    assertEquals(meter.loudnessRangeLu(), reported.loudnessRangeLu(), REPORT_TOLERANCE, what);
    assertEquals((double) meter.samples() / RATE, reported.decodedSeconds(), 0.5 / RATE, what);
  }

  @Test
  void cancellationMidEncodeLeavesNoProcessAndNoFile() throws Exception {
    Path workDir = temp.resolve("work-slow");
    JobActivitiesHarness harness =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(workDir, slowChunkEncoders())
                .withChunkedEncoding(
                    new ChunkedEncoding(Duration.ofSeconds(20), Duration.ofSeconds(1))),
            s3,
            // Heartbeats reach Temporal (and its cancel comes back) at most every 0.8 of this.
            Duration.ofSeconds(2));
    harnesses.add(harness);
    List<String> segments = segments("slow", tones());
    harness.stub().download(new DownloadInput("slow", segments));
    var input =
        new ConcatInput("slow", segments, "s3://" + S3TestServer.BUCKET + "/out/slow.mp3", false);
    CompletableFuture<ConcatOutput> concat =
        CompletableFuture.supplyAsync(() -> harness.stub().concat(input));
    awaitChunkEncoder(workDir);

    harness.env().requestCancelActivity();

    var failure =
        assertThrows(ExecutionException.class, () -> concat.get(30, TimeUnit.SECONDS)).getCause();
    assertInstanceOf(CanceledFailure.class, failure, failure.toString());
    assertEquals(List.of(), Processes.mentioning(workDir.toString()), "processes left");
    try (Stream<Path> left = Files.walk(workDir)) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left");
    }
  }

  @Test
  void anAttemptAfterAFailureEncodesOnlyWhatTheFailedOneDidNotFinish() throws IOException {
    List<String> segments = segments("resumed", tones());
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, null, List.of());
    Path uninterrupted = run(harness("whole", SMALL_CHUNKS), "whole", segments, audio, null);

    String output = "s3://" + S3TestServer.BUCKET + "/out/resumed.mp3";
    var input = new ConcatInput("resumed", segments, output, false, audio);
    Path workDir = temp.resolve("work-resumed");
    // One FFmpeg for both attempts, as on a restarted worker; it fails chunk 3 while the marker
    // is there, as a crash of the first attempt's worker would stop it there.
    Path failChunk3 = Files.createFile(temp.resolve("fail-chunk-3"));
    Path ffmpeg =
        ffmpegScript(
            "resumed",
            "case \"$*\" in\n  *chunk-00003-*) [ -f "
                + failChunk3
                + " ] && exit 1 ;;\nesac\necho \"$*\" >> "
                + temp.resolve("resumed.commands")
                + "\nffmpeg \"$@\"\n");
    JobActivitiesHarness failing = harness(workDir, ffmpeg);
    failing.stub().download(new DownloadInput("resumed", segments, output, null, null));
    assertThrows(ActivityFailure.class, () -> failing.stub().concat(input));
    Path chunks = failing.jobDir("resumed").resolve("chunks");
    List<String> kept;
    try (Stream<Path> files = Files.list(chunks)) {
      kept =
          files
              .map(f -> f.getFileName().toString())
              .filter(name -> !name.endsWith(".loudness.json"))
              .sorted()
              .toList();
    }
    assertTrue(kept.stream().noneMatch(name -> name.endsWith(".part")), kept.toString());
    assertTrue(kept.size() >= 2, "the chunks encoded before chunk 3: " + kept);

    Files.delete(failChunk3);
    Files.writeString(temp.resolve("resumed.commands"), "");
    JobActivitiesHarness next = harness(workDir, ffmpeg);
    next.stub().concat(input);
    next.stub().upload(new UploadInput("resumed", output));
    Path resumed = s3.get("out/resumed.mp3", temp.resolve("resumed.mp3"));

    assertEquals(chunkEncoders("whole") - kept.size(), chunkEncoders("resumed"), "chunks encoded");
    assertEquals(
        chunkEncoders("resumed"),
        Files.readAllLines(temp.resolve("resumed.commands")).stream()
            .filter(line -> line.contains("pcm_f32le"))
            .count(),
        "meter decodes: the chunks encoded again, each kept chunk's measurement kept beside it");
    assertTrue(
        Files.readAllLines(temp.resolve("resumed.commands")).stream()
            .noneMatch(line -> line.contains("joined-decoding.wav")),
        "the join decoded to PCM again");
    assertArrayEquals(
        Files.readAllBytes(uninterrupted),
        Files.readAllBytes(resumed),
        "the output, byte for byte");
    try (Stream<Path> left = Files.walk(workDir)) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left");
    }
  }

  /**
   * An episode submitted again with one segment replaced by another of the same length, on the same
   * host: only the chunks whose input reaches that segment are encoded again, the others are the
   * ones the first job left in the host's chunk cache, and the file and its measurement are those
   * of a host that has no cache.
   */
  @Test
  void aJobSubmittedAgainWithOneSegmentReplacedEncodesOnlyTheChunksItTouches() throws IOException {
    var cached =
        new ChunkedEncoding(
            Duration.ofSeconds(20),
            Duration.ofSeconds(5),
            ChunkedEncoding.DEFAULT_RUN_LENGTH,
            Duration.ofSeconds(20),
            64L << 20);
    List<Part> parts = tones();
    List<String> first = segments("episode", parts);
    List<Part> replacedParts = new ArrayList<>(parts);
    replacedParts.set(
        2, GeneratedAudio.sine(temp.resolve("t2-new.wav"), TENTHS[2] / 10.0, 990, RATE, 2));
    List<String> second = segments("episode-v2", replacedParts);
    AudioSpec audio = new AudioSpec(null, null, null, 0, 0, null, List.of());
    JobActivitiesHarness host = harness("cached", cached);

    run(host, "episode-1", first, audio, null);
    long firstEncoders = chunkEncoders("cached");
    Path again = run(host, "episode-2", second, audio, null);
    ConcatOutput againOutput = lastOutput;
    long secondEncoders = chunkEncoders("cached") - firstEncoders;
    Path fresh = run(harness("uncached", SMALL_CHUNKS), "episode-3", second, audio, null);

    assertEquals(chunkEncoders("uncached"), firstEncoders, "a host without a cache encodes all");
    assertTrue(
        secondEncoders > 0 && secondEncoders < firstEncoders,
        secondEncoders + " of " + firstEncoders + " chunks encoded again");
    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(again), "the output");
    assertEquals(lastOutput.audio(), againOutput.audio(), "the output's measurement");
    try (Stream<Path> left = Files.walk(temp.resolve("work-cached").resolve("jobs"))) {
      assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left in jobs");
    }
  }

  private ConcatOutput lastOutput;

  private JobActivitiesHarness harness(String name, ChunkedEncoding chunking) throws IOException {
    return harness(temp.resolve("work-" + name), logged(name), chunking);
  }

  /** A harness on {@code workDir} encoding in small chunks, as a restarted worker on one host. */
  private JobActivitiesHarness harness(Path workDir, Path ffmpeg) {
    return harness(workDir, ffmpeg, SMALL_CHUNKS);
  }

  private JobActivitiesHarness harness(Path workDir, Path ffmpeg, ChunkedEncoding chunking) {
    var harness =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(workDir, ffmpeg).withChunkedEncoding(chunking),
            s3,
            Duration.ofSeconds(30));
    harnesses.add(harness);
    return harness;
  }

  /** FFmpeg, each command line written to {@code name.commands}. */
  private Path logged(String name) throws IOException {
    return ffmpegScript(
        name, "echo \"$*\" >> " + temp.resolve(name + ".commands") + "\nffmpeg \"$@\"\n");
  }

  /** The chunk encoders a harness's FFmpeg ran: the only commands that write no ID3 tag. */
  private long chunkEncoders(String name) throws IOException {
    return Files.readAllLines(temp.resolve(name + ".commands")).stream()
        .filter(line -> line.contains("-id3v2_version 0"))
        .count();
  }

  /** The AAC chunk encoders a harness's FFmpeg ran: the only commands that write ADTS. */
  private long aacChunkEncoders(String name) throws IOException {
    return Files.readAllLines(temp.resolve(name + ".commands")).stream()
        .filter(line -> line.contains("-f adts"))
        .count();
  }

  private List<Part> tones() {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < TENTHS.length; i++) {
      parts.add(
          GeneratedAudio.sine(
              temp.resolve("t" + i + ".wav"), TENTHS[i] / 10.0, 330 + 110 * i, RATE, 2));
    }
    return parts;
  }

  private List<String> segments(String prefix, List<Part> parts) {
    return GeneratedAudio.make(parts).stream()
        .map(file -> s3.put(prefix + "/" + file.getFileName(), file))
        .toList();
  }

  private Path run(
      JobActivitiesHarness harness,
      String jobId,
      List<String> segments,
      AudioSpec audio,
      String cover) {
    return run(harness, jobId, segments, audio, cover, "mp3");
  }

  private Path run(
      JobActivitiesHarness harness,
      String jobId,
      List<String> segments,
      AudioSpec audio,
      String cover,
      String extension) {
    String key = "out/" + jobId + "-" + harnesses.size() + "." + extension;
    String output = "s3://" + S3TestServer.BUCKET + "/" + key;
    var jobs = harness.stub();
    jobs.download(new DownloadInput(jobId, segments, output, null, cover));
    lastOutput = jobs.concat(new ConcatInput(jobId, segments, output, false, audio));
    jobs.upload(new UploadInput(jobId, output));
    return s3.get(key, temp.resolve(jobId + "-" + harnesses.size() + "." + extension));
  }

  /** The bytes before the first MP3 frame: the ID3v2 tag with its header. */
  private static byte[] id3Tag(Path mp3) throws IOException {
    try (InputStream in = Files.newInputStream(mp3)) {
      byte[] head = in.readNBytes(10);
      assertEquals("ID3", new String(head, 0, 3, java.nio.charset.StandardCharsets.ISO_8859_1));
      int size =
          (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | head[9] & 0x7F;
      byte[] tag = new byte[10 + size];
      System.arraycopy(head, 0, tag, 0, 10);
      System.arraycopy(in.readNBytes(size), 0, tag, 10, size);
      return tag;
    }
  }

  /**
   * FFmpeg as usual, except a chunk encoder (the one command with no ID3 tag) reads at playing
   * speed, so the test can cancel while the chunks encode. FFmpeg runs as the wrapper's child.
   */
  private Path slowChunkEncoders() throws IOException {
    return ffmpegScript(
        "slow",
        "case \"$*\" in\n  *'-id3v2_version 0'*) ffmpeg -re \"$@\" ;;\n  *) ffmpeg \"$@\" ;;\nesac\n");
  }

  private Path ffmpegScript(String name, String body) throws IOException {
    Path script = temp.resolve("bin").resolve(name + "-ffmpeg.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static void awaitChunkEncoder(Path workDir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      boolean encoding =
          Processes.mentioning(workDir.toString()).stream()
              .anyMatch(
                  p ->
                      p.info()
                          .arguments()
                          .map(a -> String.join(" ", a).contains("chunk-"))
                          .orElse(false));
      if (encoding) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no chunk encoder started under " + workDir);
  }
}
