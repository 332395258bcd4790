package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.Processes;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ChunkTask;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.FailureType;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.MeasuredAudio;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A chunked MP3 join spread over workers, run through the real activities on two "hosts" (the job's
 * and a chunk worker's, each with its own work directory and FFmpeg): the host stages the chunks'
 * PCM, the worker encodes them, the host assembles a file that is byte for byte the one a local
 * chunked encode of the same job writes, and the staging leaves nothing behind.
 */
class SpreadChunkedEncodeTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  private static final int RATE = 44_100;

  /** 21.8 s of audio in 5 s chunks: five chunks, the last one short. */
  private static final ChunkedEncoding SMALL_CHUNKS =
      new ChunkedEncoding(Duration.ofSeconds(20), Duration.ofSeconds(5));

  /** 5.5 minutes in chunks of about 30 s: six chunks keep five, 5.6 MB at 320 kb/s, whole. */
  private static final ChunkedEncoding RUN_CHUNKS =
      new ChunkedEncoding(Duration.ofSeconds(20), Duration.ofSeconds(30));

  private static final AudioSpec PLAIN = new AudioSpec(null, null, null, 0, 0, null, List.of());

  private static final AudioSpec HIGH_RATE =
      new AudioSpec(new Encoding(320, null, null), null, null, 0, 0, null, List.of());

  private static final AudioSpec NORMALISED =
      new AudioSpec(null, new Loudness(-16.0, -1.0), null, 0, 0, null, List.of());

  @TempDir Path temp;
  private final List<AutoCloseable> environments = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable environment : environments) {
      environment.close();
    }
  }

  @Test
  void chunksEncodedOnAnotherWorkerJoinByteForByteAsTheLocalEncode() throws IOException {
    Spread job = spread("plain", PLAIN);

    assertEquals(job.staged().chunks().size(), job.localEncoders(), "chunks staged");
    assertEquals(0, job.hostEncoders(), "chunks the host encoded");
    assertArrayEquals(
        Files.readAllBytes(job.expected()), Files.readAllBytes(job.output()), "byte for byte");
    long samples = IndependentMeter.measure(job.output()).samples();
    assertEquals(sourceSamples(), samples, "samples decoded");
    assertEquals((double) samples / RATE, job.assembled().durationSeconds(), 0.5 / RATE);
    assertEquals(Files.size(job.output()), job.assembled().sizeBytes());
  }

  /**
   * Each chunk's encoder meters its own frames; the host merges those measurements instead of
   * decoding the joined file, and reports what a local join of the same job reports.
   */
  @Test
  void theChunkEncodersMeasureTheOutputSoTheHostDecodesNoneOfIt() throws IOException {
    Spread job = spread("metered", PLAIN);

    assertEquals(job.staged().chunks().size(), chunkMeters(job.host().replace("-host", "-worker")));
    assertEquals(0, chunkMeters(job.host()) + outputMeters(job.host()), "the host's meter decodes");
    assertEquals(job.localEncoders(), chunkMeters(job.localHost()), "a local join's meters too");
    assertEquals(0, outputMeters(job.localHost()), "decodes of the local join's file");
    MeasuredAudio local = job.local().audio();
    MeasuredAudio spread = job.assembled().audio();
    assertEquals(local.integratedLufs(), spread.integratedLufs(), 0.01, "integrated loudness");
    assertEquals(local.truePeakDb(), spread.truePeakDb(), 0.05, "true peak");
    assertEquals(local.loudnessRangeLu(), spread.loudnessRangeLu(), 0.05, "loudness range");
    assertEquals(
        IndependentMeter.measure(job.output()).integratedLufs(),
        spread.integratedLufs(),
        0.05,
        "loudness against a meter concat does not use");
  }

  /**
   * A chunk whose encoder stored no measurement (a worker of an earlier version): the host measures
   * the joined file itself, and reports the same.
   */
  @Test
  void aChunkWithoutItsMeasurementHasTheHostMeasureTheJoinedFile() throws IOException {
    List<String> segments = segments("unmeasured");
    JobActivitiesHarness host = harness("unmeasured-host", logged("unmeasured-host"), true);
    StagedChunks staged = concat(host, "unmeasured", segments, PLAIN).staged();
    ChunkActivities worker = chunkWorker("unmeasured-worker", Path.of("ffmpeg"));
    worker.encodeChunks(staged.task("unmeasured", 0, staged.chunks().size()));
    String measurement =
        ".concat-staging/unmeasured/"
            + ChunkLoudnessFile.nameFor(staged.chunks().get(1).outputKey());
    s3.s3().deleteObject(b -> b.bucket(S3TestServer.BUCKET).key(measurement));

    ConcatOutput assembled = host.stub().assemble(input("unmeasured", segments, PLAIN), staged);

    assertTrue(outputMeters("unmeasured-host") > 0, "the host measures the joined file");
    Path output = upload(host, "unmeasured");
    assertEquals(
        IndependentMeter.measure(output).integratedLufs(),
        assembled.audio().integratedLufs(),
        0.05,
        "loudness against a meter concat does not use");
    worker.deleteStaged("unmeasured", staged.prefix());
  }

  /**
   * The host stages the first encode with the gain its meter pass decided; assemble's join reads
   * the meter's kept reading rather than decoding the join again, finds that decode and every chunk
   * under the same gain, and runs a correcting encode, if the output misses the target, on the host
   * as a local join does.
   */
  @Test
  void aNormalisedJoinStagesItsFirstEncode() throws IOException {
    Spread job = spread("loud", NORMALISED);

    assertEquals(
        job.localEncoders() - job.staged().chunks().size(),
        job.hostEncoders(),
        "chunks the host encoded: a local join's, less the first encode's");
    assertEquals(1, loudnessMeters(job.host()), "the host's meter passes over the join");
    assertArrayEquals(
        Files.readAllBytes(job.expected()), Files.readAllBytes(job.output()), "byte for byte");
    assertEquals(
        IndependentMeter.measure(job.output()).integratedLufs(),
        job.assembled().audio().integratedLufs(),
        0.05,
        "loudness reported");
  }

  /**
   * The job's host is lost after the chunks were encoded: the host sequence reruns on another host,
   * which decodes the same PCM, finds every piece staged (it uploads none again) and every chunk
   * encoded, and assembles the job without encoding a chunk.
   */
  @Test
  void aHostReplacingALostOneReusesWhatWasStagedAndEncoded() throws IOException {
    List<String> segments = segments("moved");
    JobActivitiesHarness lost = harness("moved-lost", Path.of("ffmpeg"), true);
    StagedChunks staged = concat(lost, "moved", segments, PLAIN).staged();
    ChunkActivities worker = chunkWorker("moved-worker", logged("moved-worker"));
    worker.encodeChunks(staged.task("moved", 0, staged.chunks().size()));
    // As long as the piece, but silent: a host that staged it again would have put it back.
    String firstPiece = ".concat-staging/moved/" + staged.chunks().get(0).inputKey();
    var silent = new byte[(int) Files.size(s3.get(firstPiece, temp.resolve("piece-0.wav")))];
    s3.put(firstPiece, silent);

    JobActivitiesHarness next = harness("moved-next", logged("moved-next"), true);
    StagedChunks again = concat(next, "moved", segments, PLAIN).staged();

    assertEquals(staged, again, "the chunks staged by the lost host");
    assertArrayEquals(
        silent, Files.readAllBytes(s3.get(firstPiece, temp.resolve("again-0.wav"))), "piece 0");
    int count = again.chunks().size();
    assertEquals(count, worker.encodeChunks(again.task("moved", 0, count)).reused(), "reused");
    next.stub().assemble(input("moved", segments, PLAIN), again);
    Path output = upload(next, "moved");
    assertEquals(0, chunkEncoders("moved-next"), "chunks the new host encoded");
    assertEquals(staged.chunks().size(), chunkEncoders("moved-worker"), "chunks encoded");
    assertEquals(sourceSamples(), IndependentMeter.measure(output).samples(), "samples decoded");
  }

  /**
   * @param host the name of the spread job's host, whose FFmpeg commands are logged under it
   * @param localEncoders chunk encoders (reservoir on) of the same job encoded on one host
   * @param hostEncoders those the spread job's host ran
   * @param expected the output of the same job encoded on one host
   * @param output the spread job's output
   */
  private record Spread(
      String host,
      String localHost,
      ConcatOutput local,
      long localEncoders,
      long hostEncoders,
      StagedChunks staged,
      Path expected,
      Path output,
      ConcatOutput assembled) {}

  /**
   * Runs job {@code jobId} on one host (a worker whose chunkSpread is off), then spread: staged,
   * each chunk encoded on a chunk worker (one of them twice), assembled and uploaded.
   */
  private Spread spread(String jobId, AudioSpec audio) throws IOException {
    List<String> segments = segments(jobId);
    String localJob = jobId + "-local";
    JobActivitiesHarness local = harness(localJob, logged(localJob), false);
    ConcatOutput localOutput = concat(local, localJob, segments, audio);
    assertNull(localOutput.staged(), "a worker with chunkSpread off encodes on its own host");
    assertTrue(chunkEncoders(localJob) > 1, "encoded in chunks");
    Path expected = upload(local, localJob);

    String hostName = jobId + "-host";
    String workerName = jobId + "-worker";
    JobActivitiesHarness host = harness(hostName, logged(hostName), true);
    ChunkActivities worker = chunkWorker(workerName, logged(workerName));
    StagedChunks staged = concat(host, jobId, segments, audio).staged();
    assertNotNull(staged, "staged");
    String prefix = "s3://" + S3TestServer.BUCKET + "/.concat-staging/" + jobId + "/";
    assertEquals(prefix, staged.prefix(), "prefix");
    assertEquals(0, chunkEncoders(hostName), "chunks the host encoded while staging");

    // Two runs, as the workflow hands them to two workers.
    int count = staged.chunks().size();
    for (int[] run : new int[][] {{0, 2}, {2, count}}) {
      ChunkEncoded encoded = worker.encodeChunks(staged.task(jobId, run[0], run[1]));
      assertEquals(run[1] - run[0], encoded.chunks(), "chunks in the run");
      assertEquals(0, encoded.reused(), "chunks found encoded the first time");
    }
    ChunkEncoded again = worker.encodeChunks(staged.task(jobId, 1, 3));
    assertEquals(2, again.reused(), "chunks 1 and 2 asked again are found encoded");
    assertEquals(staged.chunks().size(), chunkEncoders(workerName), "FFmpeg runs on the worker");

    ConcatOutput assembled = host.stub().assemble(input(jobId, segments, audio), staged);
    Path output = upload(host, jobId);
    assertEquals(List.of(), filesUnder(temp.resolve("work-" + workerName)), "worker's files");
    assertEquals(List.of(), filesUnder(host.jobDir(jobId)), "the host's files left");

    worker.deleteStaged(jobId, staged.prefix());
    assertEquals(List.of(), keysUnder(".concat-staging/" + jobId + "/"), "staged files left");
    return new Spread(
        hostName,
        localJob,
        localOutput,
        chunkEncoders(localJob),
        chunkEncoders(hostName),
        staged,
        expected,
        output,
        assembled);
  }

  /**
   * The workers store each run's kept frames whole, and the host's upload has the store copy them
   * instead of sending them: the object is the assembled file byte for byte. The second run is
   * encoded first, so the first run's worker finds its first chunk stored and keeps its own last
   * chunk, carrying into it what that chunk borrows from the bit reservoir (the host checks the
   * run's bytes against its output). The first run lends the output's first part the 5 MiB S3 needs
   * and is then too short to copy, so it is sent; the second is copied whole.
   */
  @Test
  void theUploadCopiesTheRunsTheWorkersStored() throws IOException {
    String jobId = "copied";
    List<String> segments = longSegments(jobId);
    String hostName = jobId + "-host";
    JobActivitiesHarness host = harness(hostName, logged(hostName), true, RUN_CHUNKS);
    ChunkActivities worker = chunkWorker(jobId + "-worker", logged(jobId + "-worker"));
    StagedChunks staged = concat(host, jobId, segments, HIGH_RATE).staged();
    int count = staged.chunks().size();
    assertEquals(12, count, "chunks of about 30 s");
    worker.encodeChunks(staged.task(jobId, 6, count));
    worker.encodeChunks(staged.task(jobId, 0, 6));
    String staging = ".concat-staging/" + jobId + "/";
    List<String> runs =
        keysUnder(staging).stream()
            .filter(key -> key.startsWith(staging + "run-"))
            .map(key -> key.substring(0, key.lastIndexOf('-')))
            .toList();
    assertEquals(List.of(staging + "run-0-6", staging + "run-6-12"), runs, "runs stored");

    host.stub().assemble(input(jobId, segments, HIGH_RATE), staged);
    assertEquals(
        List.of("run-0-6", "run-6-12"),
        Files.readAllLines(host.jobDir(jobId).resolve("output.copies")).stream()
            .map(line -> line.substring(line.lastIndexOf('/') + 1, line.lastIndexOf('-')))
            .toList(),
        "the runs the host found byte for byte in its output");
    Path assembled =
        Files.copy(host.jobDir(jobId).resolve("output.mp3"), temp.resolve("assembled.mp3"));
    s3.store().reset();
    Path output = upload(host, jobId);

    assertArrayEquals(Files.readAllBytes(assembled), Files.readAllBytes(output), "uploaded");
    List<String> keys = s3.store().getKeys();
    List<String> ranges = s3.store().getRanges();
    List<String> runReads = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).startsWith(staging + "run-")) {
        runReads.add(keys.get(i).substring(0, keys.get(i).lastIndexOf('-')) + " " + ranges.get(i));
      }
    }
    long secondRun =
        s3.s3()
            .headObject(
                b ->
                    b.bucket(S3TestServer.BUCKET)
                        .key(
                            keysUnder(staging).stream()
                                .filter(k -> k.startsWith(staging + "run-6-12-"))
                                .findFirst()
                                .orElseThrow()))
            .contentLength();
    assertEquals(
        List.of(staging + "run-6-12 bytes=0-" + (secondRun - 1)),
        runReads,
        "the store's reads of the runs: the second run's copy");
    assertEquals((330L * RATE), IndependentMeter.measure(output).samples(), "samples decoded");
    worker.deleteStaged(jobId, staged.prefix());
    assertEquals(List.of(), keysUnder(staging), "staged files left");
  }

  /** 5.5 minutes of tones and noise. */
  private List<String> longSegments(String prefix) {
    return tonesAndNoise(prefix, "l", 80, 90, 70, 90);
  }

  /**
   * S3 refuses to store one encoded chunk: the run fails for a retry (S3 is at fault, not the job),
   * naming the job, the chunk and its key, and leaves nothing on the worker; the retry finds every
   * chunk stored before the fault and encodes only the others.
   */
  @Test
  void aChunkS3RefusesToStoreFailsTheRunForARetryThatEncodesOnlyWhatWasNotStored()
      throws IOException {
    List<String> segments = segments("refused");
    JobActivitiesHarness host = harness("refused-host", Path.of("ffmpeg"), true);
    StagedChunks staged = concat(host, "refused", segments, PLAIN).staged();
    ChunkActivities worker = chunkWorker("refused-worker", logged("refused-worker"));
    int count = staged.chunks().size();
    String refusedKey = staged.chunks().get(2).outputKey();
    s3.store().failPutsOf(refusedKey);

    var failure =
        assertThrows(
            ActivityFailure.class, () -> worker.encodeChunks(staged.task("refused", 0, count)));

    s3.store().reset();
    String message = String.valueOf(failure.getCause().getMessage());
    assertFalse(
        failure.getCause() instanceof ApplicationFailure a && a.isNonRetryable(),
        "S3's fault is retried: " + failure.getCause());
    assertTrue(message.contains("job refused: chunk 2 "), message);
    assertTrue(message.contains(refusedKey), message);
    assertEquals(List.of(), filesUnder(temp.resolve("work-refused-worker")), "the worker's files");
    List<String> stored =
        keysUnder(".concat-staging/refused/").stream().filter(k -> k.endsWith(".mp3")).toList();
    assertFalse(stored.stream().anyMatch(k -> k.endsWith(refusedKey)), "chunk 2 is not stored");
    long encodersBefore = chunkEncoders("refused-worker");

    ChunkEncoded retried = worker.encodeChunks(staged.task("refused", 0, count));

    assertEquals(stored.size(), retried.reused(), "the chunks stored before the fault: " + stored);
    assertEquals(
        count - stored.size(),
        chunkEncoders("refused-worker") - encodersBefore,
        "the retry encodes only the chunks not stored");
    host.stub().assemble(input("refused", segments, PLAIN), staged);
    assertEquals(sourceSamples(), IndependentMeter.measure(upload(host, "refused")).samples());
    worker.deleteStaged("refused", staged.prefix());
  }

  /**
   * S3 refuses the first piece the host stages while it decodes the join (at playing speed here):
   * the concat fails for a retry with S3's fault as soon as the piece failed, its decode stopped
   * rather than run to the end (the first piece is staged about 8 s into 21.8 s), and no FFmpeg is
   * left.
   */
  @Test
  void aPieceS3RefusesWhileTheJoinDecodesStopsTheDecode() throws IOException {
    List<String> segments = segments("stopped");
    JobActivitiesHarness host = harness("stopped", slowFfmpeg(), true);
    host.stub().download(new DownloadInput("stopped", segments, output("stopped"), null, null));
    s3.store().failPutsOf(".concat-staging/stopped/chunk-00000-");

    var failure =
        assertThrows(
            ActivityFailure.class, () -> host.stub().concat(input("stopped", segments, PLAIN)));

    s3.store().reset();
    assertFalse(
        failure.getCause() instanceof ApplicationFailure a && a.isNonRetryable(),
        "S3's fault is retried: " + failure.getCause());
    String message = String.valueOf(failure.getCause().getMessage());
    assertTrue(message.contains("chunk-00000-"), message);
    // The attempt keeps its partial decode for the next one to delete: 16-bit stereo, it is as far
    // as FFmpeg got.
    List<Path> decodes =
        filesUnder(temp.resolve("work-stopped")).stream()
            .filter(f -> f.getFileName().toString().matches("joined-.*\\.wav"))
            .toList();
    assertEquals(1, decodes.size(), "the decode: " + decodes);
    long decoded = Files.size(decodes.get(0)) / 4;
    assertTrue(
        decoded < sourceSamples() * 3 / 4,
        "the decode was stopped, not run to its end: " + decoded + " of " + sourceSamples());
    assertEquals(
        List.of(), Processes.mentioning(temp.resolve("work-stopped").toString()), "processes left");
  }

  @Test
  void deleteStagedEmptiesTheJobsPrefixAndRefusesAnyOther() throws IOException {
    ChunkActivities worker = chunkWorker("delete", Path.of("ffmpeg"));
    Path file = Files.write(temp.resolve("piece"), new byte[] {1, 2, 3});
    for (int i = 0; i < 3; i++) {
      s3.put(".concat-staging/doomed/chunk-" + i + ".wav", file);
    }
    s3.put(".concat-staging/other/chunk-0.wav", file);
    s3.put("out/doomed.mp3", file);
    String bucket = "s3://" + S3TestServer.BUCKET + "/";

    for (String outside :
        List.of(bucket + "out/", bucket + ".concat-staging/", bucket + ".concat-staging/other/")) {
      ApplicationFailure refused = failureOf(() -> worker.deleteStaged("doomed", outside));
      assertEquals(FailureType.INVALID_REQUEST.type(), refused.getType(), outside);
      assertTrue(refused.getOriginalMessage().contains(outside), refused.getOriginalMessage());
    }
    assertEquals(3, keysUnder(".concat-staging/doomed/").size(), "refusals deleted nothing");

    worker.deleteStaged("doomed", bucket + ".concat-staging/doomed/");
    worker.deleteStaged("doomed", bucket + ".concat-staging/doomed/");

    assertEquals(List.of(), keysUnder(".concat-staging/doomed/"), "left under the prefix");
    assertEquals(1, keysUnder(".concat-staging/other/").size(), "another job's staging");
    assertEquals(1, keysUnder("out/").size(), "the output");
  }

  @Test
  void aLostStagedInputFailsNamingTheJobChunkAndKey() {
    ChunkActivities worker = chunkWorker("lost", Path.of("ffmpeg"));
    String prefix = "s3://" + S3TestServer.BUCKET + "/.concat-staging/lost/";
    var chunk =
        new StagedChunk(3, "chunk-00003-gone.wav", "chunk-00003-gone.mp3", 0, 9, 9216, 0, true);
    var task = new ChunkTask("lost", prefix, RATE, 128, true, List.of(chunk));

    ApplicationFailure failure = failureOf(() -> worker.encodeChunks(task));

    String message = failure.getOriginalMessage();
    assertEquals(FailureType.WORK_DIR_LOST.type(), failure.getType(), message);
    assertTrue(message.startsWith("job lost: chunk 3 "), message);
    assertTrue(message.contains(prefix + "chunk-00003-gone.wav"), message);
    assertTrue(message.contains("staging was lost"), message);
    assertEquals(List.of(), filesUnder(temp.resolve("work-lost")), "the worker's files left");
  }

  @Test
  void aStartingWorkerDeletesTheEncodesAKilledOneLeft() throws IOException {
    Path left = temp.resolve("work-restarted/chunk-encodes/killed-3-123/input.wav");
    Files.createDirectories(left.getParent());
    Files.write(left, new byte[] {1});

    chunkWorker("restarted", Path.of("ffmpeg"));

    assertEquals(List.of(), filesUnder(temp.resolve("work-restarted")), "files left");
  }

  @Test
  void aCancelledEncodeStopsFfmpegAndLeavesNothing() throws Exception {
    ChunkWorker worker = chunkWorker("cancelled", slowFfmpeg(), Duration.ofSeconds(2));
    CompletableFuture<ChunkEncoded> encode = slowEncode(worker, "cancelled");

    worker.env().requestCancelActivity();

    var failure =
        assertThrows(ExecutionException.class, () -> encode.get(20, TimeUnit.SECONDS)).getCause();
    assertInstanceOf(CanceledFailure.class, failure, failure.toString());
    assertNothingLeft("cancelled");
  }

  @Test
  void aWorkerShuttingDownStopsItsEncodesAndHandsThemBack() throws Exception {
    ChunkWorker worker = chunkWorker("shutdown", slowFfmpeg(), Duration.ofSeconds(30));
    CompletableFuture<ChunkEncoded> encode = slowEncode(worker, "shutdown");

    assertTrue(worker.host().stopJobs("shutdown-worker", Duration.ofSeconds(20)));

    var failure =
        assertThrows(ExecutionException.class, () -> encode.get(20, TimeUnit.SECONDS)).getCause();
    var cause = assertInstanceOf(ApplicationFailure.class, failure.getCause(), failure.toString());
    assertEquals(FailureType.WORKER_SHUTDOWN.type(), cause.getType());
    assertTrue(
        cause.getOriginalMessage().startsWith("job shutdown: chunk 0 "),
        cause.getOriginalMessage());
    assertNothingLeft("shutdown");
  }

  private JobActivitiesHarness harness(String name, Path ffmpeg, boolean spread) {
    return harness(name, ffmpeg, spread, SMALL_CHUNKS);
  }

  private JobActivitiesHarness harness(
      String name, Path ffmpeg, boolean spread, ChunkedEncoding chunks) {
    var harness =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(temp.resolve("work-" + name), ffmpeg)
                .withChunkedEncoding(chunks)
                .withChunkSpread(spread),
            s3,
            Duration.ofSeconds(30));
    environments.add(harness);
    return harness;
  }

  /** Chunk activities on a worker of their own, as any worker of the fleet runs them. */
  private ChunkActivities chunkWorker(String name, Path ffmpeg) {
    return chunkWorker(name, ffmpeg, Duration.ofSeconds(30)).stub();
  }

  private record ChunkWorker(
      TestActivityEnvironment env, HostResources host, ChunkActivities stub) {}

  private ChunkWorker chunkWorker(String name, Path ffmpeg, Duration heartbeatTimeout) {
    var settings = TestSettings.withFfmpeg(temp.resolve("work-" + name), ffmpeg);
    var host = HostResources.forWorkDir(settings.workDir(), 1);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    environments.add(env::close);
    env.registerActivitiesImplementations(
        new ChunkActivitiesImpl(settings, host, s3.s3(), JobMetrics.none()));
    ChunkActivities stub =
        env.newActivityStub(
            ChunkActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(heartbeatTimeout)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    return new ChunkWorker(env, host, stub);
  }

  /**
   * Starts encoding a staged 10 s piece on a worker whose FFmpeg reads at playing speed; returns
   * once that FFmpeg runs.
   */
  private CompletableFuture<ChunkEncoded> slowEncode(ChunkWorker worker, String jobId)
      throws InterruptedException {
    long samples = 10L * RATE;
    Path wav =
        GeneratedAudio.make(GeneratedAudio.sine(temp.resolve(jobId + ".wav"), 10, 440, RATE, 2));
    String prefix = "s3://" + S3TestServer.BUCKET + "/.concat-staging/" + jobId + "/";
    s3.put(".concat-staging/" + jobId + "/chunk-00000-slow.wav", wav);
    long frames = (samples + 1105 + 1151) / 1152;
    var chunk =
        new StagedChunk(
            0, "chunk-00000-slow.wav", "chunk-00000-slow.mp3", 0, frames, samples, 0, true);
    var task = new ChunkTask(jobId, prefix, RATE, 128, true, List.of(chunk));
    CompletableFuture<ChunkEncoded> encode =
        CompletableFuture.supplyAsync(() -> worker.stub().encodeChunks(task));
    String workDir = temp.resolve("work-" + jobId).toString();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (Processes.mentioning(workDir).stream()
        .noneMatch(p -> p.info().command().map(c -> c.endsWith("/ffmpeg")).orElse(false))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no chunk encoder started under " + workDir);
      }
      Thread.sleep(50);
    }
    return encode;
  }

  private Path slowFfmpeg() throws IOException {
    Path script = temp.resolve("bin").resolve("slow-ffmpeg.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\nffmpeg -re \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Nothing of an encode that was stopped: no FFmpeg, no file on the worker, no output staged. */
  private void assertNothingLeft(String jobId) {
    Path workDir = temp.resolve("work-" + jobId);
    assertEquals(List.of(), Processes.mentioning(workDir.toString()), "processes left");
    assertEquals(List.of(), filesUnder(workDir), "the worker's files left");
    assertEquals(
        List.of(".concat-staging/" + jobId + "/chunk-00000-slow.wav"),
        keysUnder(".concat-staging/" + jobId + "/"),
        "staged");
  }

  private static ConcatInput input(String jobId, List<String> segments, AudioSpec audio) {
    return new ConcatInput(jobId, segments, output(jobId), false, audio, null, true);
  }

  private static String output(String jobId) {
    return "s3://" + S3TestServer.BUCKET + "/out/" + jobId + ".mp3";
  }

  private static ConcatOutput concat(
      JobActivitiesHarness harness, String jobId, List<String> segments, AudioSpec audio) {
    harness.stub().download(new DownloadInput(jobId, segments, output(jobId), null, null));
    return harness.stub().concat(input(jobId, segments, audio));
  }

  private Path upload(JobActivitiesHarness harness, String jobId) {
    harness.stub().upload(new UploadInput(jobId, output(jobId)));
    return s3.get("out/" + jobId + ".mp3", temp.resolve(jobId + ".mp3"));
  }

  /** Noise between tones: material whose frames borrow from the bit reservoir across seams. */
  private List<String> segments(String prefix) {
    return tonesAndNoise(prefix, "s", 5.3, 6.1, 4.7, 5.7);
  }

  /** A tone, pink noise, another tone, quieter noise, stored under {@code prefix}. */
  private List<String> tonesAndNoise(
      String prefix, String stem, double tone, double noise, double tone2, double noise2) {
    List<Part> parts =
        List.of(
            GeneratedAudio.sine(temp.resolve(stem + "0.wav"), tone, 330, RATE, 2),
            GeneratedAudio.pinkNoise(temp.resolve(stem + "1.wav"), noise, 0.5, -6, RATE),
            GeneratedAudio.sine(temp.resolve(stem + "2.wav"), tone2, 550, RATE, 2),
            GeneratedAudio.pinkNoise(temp.resolve(stem + "3.wav"), noise2, 0.5, -12, RATE));
    return GeneratedAudio.make(parts).stream()
        .map(file -> s3.put(prefix + "/" + file.getFileName(), file))
        .toList();
  }

  private static long sourceSamples() {
    return (53 + 61 + 47 + 57) * (RATE / 10L);
  }

  /** FFmpeg, each command line written to {@code name.commands}. */
  private Path logged(String name) throws IOException {
    Path log = temp.resolve(name + ".commands");
    Files.writeString(log, "");
    Path script = temp.resolve("bin").resolve(name + "-ffmpeg.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + log + "\nffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /**
   * The chunk encoders an FFmpeg ran with the bit reservoir on (the only commands that write no ID3
   * tag); a join encodes a chunk again with it off, on the job's host, where it cannot carry it.
   */
  private long chunkEncoders(String name) throws IOException {
    return commands(
        name, line -> line.contains("-id3v2_version 0") && line.contains("-reservoir 1"));
  }

  /**
   * The meter passes over the join an FFmpeg ran: the decode into the Java meter's FIFO, or
   * FFmpeg's own R128 meter where there is no FIFO.
   */
  private long loudnessMeters(String name) throws IOException {
    return commands(name, line -> line.contains("joined.meter.wav") || line.contains("ebur128"));
  }

  /** The decodes of a chunk's own frames into the loudness meter, delay dropped. */
  private long chunkMeters(String name) throws IOException {
    return commands(
        name, line -> line.contains("pcm_f32le") && line.contains("atrim=start_sample=1105"));
  }

  /** The decodes of the joined file, or of ranges of it, into the loudness meter. */
  private long outputMeters(String name) throws IOException {
    return commands(name, line -> line.contains("pcm_f32le") && line.contains("output.partial"));
  }

  /** The FFmpeg command lines {@code name}'s FFmpeg ran that {@code kind} accepts. */
  private long commands(String name, Predicate<String> kind) throws IOException {
    return Files.readAllLines(temp.resolve(name + ".commands")).stream().filter(kind).count();
  }

  private static List<String> keysUnder(String prefix) {
    return s3
        .s3()
        .listObjectsV2(b -> b.bucket(S3TestServer.BUCKET).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  private static List<Path> filesUnder(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }
}
