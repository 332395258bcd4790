package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.ChunkedAacJoin;
import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.activities.chunk.ChunkedMp3Join;
import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.chunk.GrowingWav;
import dev.concat.activities.chunk.JoinedMp3Meter;
import dev.concat.activities.chunk.Mp3Timeline;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.workdir.ChunkCache;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A re-encoded MP3 or M4A join on every free core: one FFmpeg decodes the join (gain included) to a
 * PCM WAV, which is encoded as chunks on the worker's {@link EncoderCores}.
 *
 * <ul>
 *   <li>MP3: {@link ChunkedMp3Join} writes the chunks after the ID3v2 tag the one-pass encode would
 *       write, and merges the chunks' measurements, each taken by the chunk's encoder from its own
 *       frames (or, for chunks a spread encode's workers encoded, fetched beside them), into the
 *       output's; where a chunk has none, it measures the output in ranges ({@link
 *       JoinedMp3Meter}).
 *   <li>M4A: {@link ChunkedAacJoin} joins the chunks' AAC frames in ADTS and measures them whole;
 *       the MP4 muxer copies them into the M4A with the one-pass file's tags, edit list and sample
 *       table.
 * </ul>
 *
 * Meanwhile the activity thread watches them ({@link ChunkedEncodeWatch}) and on cancellation,
 * shutdown or a stall stops every encoder. Once the join is written, the WAV and the chunk files
 * are deleted; after a failure they stay in the job's work directory, so that the next attempt on
 * this host (after a crash, say) neither decodes nor encodes again what was finished.
 */
final class ChunkedJoinEncode {
  private static final Logger log = LoggerFactory.getLogger(ChunkedJoinEncode.class);

  /** The 16-bit PCM the chunk encoders read. */
  private static final int PCM_BYTES_PER_SAMPLE = 2;

  /** How long the encoders get to stop after the activity thread interrupts them. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  private final Path ffmpeg;
  private final ProcessLauncher launcher;
  private final FfmpegSupervisor supervisor;
  private final ShutdownGate gate;
  private final ChunkedEncoding settings;
  private final EncoderCores cores;
  private final JoinedMp3Meter outputMeter;

  ChunkedJoinEncode(
      Path ffmpeg,
      ProcessLauncher launcher,
      FfmpegSupervisor supervisor,
      ShutdownGate gate,
      ChunkedEncoding settings,
      EncoderCores cores) {
    this.ffmpeg = ffmpeg;
    this.launcher = launcher;
    this.supervisor = supervisor;
    this.gate = gate;
    this.settings = settings;
    this.cores = cores;
    this.outputMeter = new JoinedMp3Meter(new ChunkLoudnessMeter(ffmpeg, launcher));
  }

  /**
   * Whether a join of {@code seconds} to {@code format} and {@code encoding} is encoded in chunks.
   */
  boolean applies(double seconds, OutputFormat format, Encoding encoding) {
    int rate = encoding.sampleRate();
    // The MP3 chunk grid is MPEG-1's 1152-sample frame; AAC's 1024 samples hold at every rate.
    boolean mpeg1 = rate == 32_000 || rate == 44_100 || rate == 48_000;
    return (format == OutputFormat.M4A || (format == OutputFormat.MP3 && mpeg1))
        && settings.chunks(seconds, format);
  }

  /** The WAV the join decodes to, for the disk check. */
  static long pcmBytes(double seconds, Encoding encoding) {
    return (long) Math.ceil(seconds * encoding.sampleRate())
        * encoding.channels()
        * PCM_BYTES_PER_SAMPLE;
  }

  /**
   * @param samples the samples the output decodes to, exactly
   * @param loudness the output's loudness, measured from its decoded audio
   */
  record Encoded(long samples, ChunkLoudness loudness) {}

  /**
   * Encodes {@code join} into {@code partial} and measures what it wrote.
   *
   * @param expectedSeconds about how long the join is (the probes' estimate): the chunks before its
   *     end are encoded while the join is still being decoded
   * @param encodedThrough called on this thread with the seconds encoded from the start, as chunks
   *     finish; an exception from it (cancellation) stops the encoders and propagates
   */
  Encoded encode(
      JobWorkDir dir,
      JoinCommand join,
      OutputFormat format,
      Encoding encoding,
      double expectedSeconds,
      Path partial,
      Duration stallLimit,
      PhaseProgress progress,
      DoubleConsumer encodedThrough)
      throws IOException, InterruptedException {
    String jobId = dir.jobId();
    long started = System.nanoTime();
    Path tagFile = dir.root().resolve("joined.tag.mp3");
    Path adts = dir.root().resolve("joined.aac");
    Path chunkDir = dir.chunksDir();
    var pcm = new JoinedPcm(dir, join, encoding);
    Path wav = pcm.file();
    long expectedSamples = (long) (expectedSeconds * encoding.sampleRate());
    boolean done = false;
    try {
      Files.deleteIfExists(partial);
      Files.createDirectories(chunkDir);
      boolean decodedBefore = pcm.keptWhole();
      GrowingWav source = decodedBefore ? GrowingWav.whole(wav) : GrowingWav.writing(wav);
      var timing = new ChunkedEncodeTiming(jobId, decodedBefore, started);
      var watch =
          new ChunkedEncodeWatch(
              "chunked " + format.extension().toUpperCase(Locale.ROOT) + " encode");
      CompletableFuture<Encoded> result = new CompletableFuture<>();
      Callable<Encoded> encodeAll;
      if (format == OutputFormat.M4A) {
        encodeAll =
            () ->
                encodeAac(
                    source,
                    expectedSamples,
                    adts,
                    chunkDir,
                    dir.chunkCache(),
                    encoding,
                    watch,
                    timing);
      } else {
        byte[] tag = tag(jobId, join, encoding, tagFile, stallLimit);
        encodeAll =
            () ->
                encodeMp3(
                    source,
                    expectedSamples,
                    partial,
                    chunkDir,
                    dir.chunkCache(),
                    tag,
                    encoding,
                    watch,
                    timing);
      }
      Thread encoders =
          new Thread(
              ActivityLogContext.carry(
                  () -> {
                    try {
                      result.complete(encodeAll.call());
                    } catch (Throwable e) {
                      result.completeExceptionally(e);
                    }
                  }),
              "chunks-" + jobId);
      timing.encodeStarted();
      encoders.start();
      try {
        if (!decodedBefore) {
          // The encoders start on the first chunks while the rest of the join is decoded.
          pcm.run(supervisor, stallLimit, progress);
          source.finished();
          timing.decoded();
        }
        Encoded encoded =
            watch.await(
                jobId,
                result,
                gate,
                progress,
                encodedThrough,
                chunkDir,
                format == OutputFormat.M4A ? adts : partial,
                stallLimit,
                encoding.sampleRate());
        if (format == OutputFormat.M4A) {
          new AacToM4a(supervisor)
              .write(jobId, join, adts, encoded.samples(), encoding, partial, stallLimit);
        }
        encodedThrough.accept((double) encoded.samples() / encoding.sampleRate());
        done = true;
        return encoded;
      } finally {
        if (encoders.isAlive()) {
          // The encoders' pool interrupts each encoder, which stops its FFmpeg before it returns.
          encoders.interrupt();
          encoders.join(STOP_BOUND.toMillis());
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    } finally {
      Files.deleteIfExists(tagFile);
      Files.deleteIfExists(adts);
      // After a failure the decode and the whole chunks stay, for the next attempt on this host;
      // the job's work directory goes when the job ends, is cancelled or its worker shuts down.
      if (done) {
        pcm.delete();
        deleteDirectory(chunkDir);
      }
    }
  }

  private Encoded encodeMp3(
      GrowingWav source,
      long expectedSamples,
      Path partial,
      Path chunkDir,
      ChunkCache cache,
      byte[] tag,
      Encoding encoding,
      ChunkedEncodeWatch watch,
      ChunkedEncodeTiming timing)
      throws IOException, InterruptedException {
    var chunked =
        new ChunkedMp3Join(
            ffmpeg,
            launcher,
            new ChunkedMp3Join.Settings(
                encoding.bitrateKbps(),
                settings.chunkLength(),
                cores.cores(),
                BitReservoir.CARRIED));
    ChunkedMp3Join.Result joined =
        chunked.join(source, expectedSamples, partial, chunkDir, cache, tag, cores, watch::encoded);
    watch.joined();
    timing.joined(
        joined.chunks(),
        joined.reusedChunks(),
        ", " + joined.reencodedChunks() + " again without the bit reservoir",
        cores.cores());
    ChunkLoudness loudness = joined.loudness();
    if (loudness == null) {
      loudness =
          outputMeter.measure(
              partial,
              Mp3Timeline.of(joined),
              encoding.sampleRate(),
              settings.chunkLength().toSeconds() * encoding.sampleRate(),
              cores,
              watch::measured);
    }
    timing.measured(
        joined.loudness() != null ? "merged the chunks' measurements of" : "finished measuring");
    return new Encoded(joined.samples(), loudness);
  }

  private Encoded encodeAac(
      GrowingWav source,
      long expectedSamples,
      Path adts,
      Path chunkDir,
      ChunkCache cache,
      Encoding encoding,
      ChunkedEncodeWatch watch,
      ChunkedEncodeTiming timing)
      throws IOException, InterruptedException {
    var chunked =
        new ChunkedAacJoin(
            ffmpeg,
            launcher,
            new ChunkedAacJoin.Settings(
                encoding.bitrateKbps(), settings.aacChunkLength(), cores.cores()));
    ChunkedAacJoin.Result joined =
        chunked.join(
            source, expectedSamples, adts, chunkDir, cache, cores, watch::encoded, watch::measured);
    watch.joined();
    timing.joined(
        joined.chunks(),
        joined.reusedChunks(),
        "; the joined stream then measured whole",
        cores.cores());
    return new Encoded(joined.samples(), joined.loudness());
  }

  /**
   * The disk the PCM decode still needs in {@code dir}: none when an earlier attempt's whole decode
   * is there to be used again.
   */
  static long pcmBytesToWrite(JobWorkDir dir, double seconds, Encoding encoding) {
    return JoinedPcm.bytesToWrite(dir, pcmBytes(seconds, encoding));
  }

  /** The bytes before the first frame of the one-pass encode's tag run: its ID3v2 tag. */
  private byte[] tag(
      String jobId, JoinCommand join, Encoding encoding, Path tagFile, Duration stallLimit)
      throws IOException, InterruptedException {
    FfmpegExit exit =
        supervisor.run(jobId, join.mp3Tag(encoding, tagFile), tagFile, stallLimit, p -> {});
    if (!exit.succeeded()) {
      throw exit.toFailure(jobId + " (writing the ID3 tag)");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(tagFile)) {
      head = in.readNBytes(10);
    }
    int firstFrame = InfoFrameCut.firstFrame(head);
    try (InputStream in = Files.newInputStream(tagFile)) {
      return Arrays.copyOf(in.readNBytes(firstFrame), firstFrame);
    }
  }

  private static void deleteDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }
}
