package dev.concat.activities;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.ChunkGrid;
import dev.concat.activities.chunk.Mp3Chunk;
import dev.concat.activities.chunk.Mp3ChunkEncoder;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.WorkerShuttingDown;
import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.storage.StagingArea;
import dev.concat.contract.ChunkActivities;
import dev.concat.contract.ChunkEncoded;
import dev.concat.contract.ChunkTask;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.StagedChunk;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The chunk encodes of a spread MP3 encode, on any worker: fetch a chunk's PCM from the job's
 * staging prefix into a directory of its own, encode it as a local chunked encode would ({@link
 * Mp3ChunkEncoder}), meter its own frames' loudness ({@link ChunkLoudnessMeter}: the job's host
 * then merges the chunks' measurements instead of decoding the joined file), and store the
 * measurement, then the frames, back beside it. Nothing outlives the call on this host;
 * cancellation, the worker's shutdown or an interruption stops FFmpeg first.
 */
public final class ChunkActivitiesImpl implements ChunkActivities {
  private static final Logger log = LoggerFactory.getLogger(ChunkActivitiesImpl.class);

  /** How often the activity thread looks at the shutdown gate while FFmpeg runs. */
  private static final long POLL_MILLIS = 200;

  /** Heartbeats while FFmpeg runs: a stuck encoder stops them (after the heartbeat timeout). */
  private static final long HEARTBEAT_NANOS = Duration.ofSeconds(1).toNanos();

  /** How long FFmpeg gets to stop after its thread is interrupted. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(30);

  private final S3Client s3;
  private final Path ffmpeg;
  private final ProcessLauncher launcher;
  private final ChunkLoudnessMeter meter;
  private final Path encodesDir;
  private final ShutdownGate gate;
  private final String worker;
  private final JobMetrics metrics;

  /**
   * @param host this worker's resources: its shutdown gate stops the encodes
   * @param metrics told of every FFmpeg run
   */
  public ChunkActivitiesImpl(
      ActivitySettings settings, HostResources host, S3Client s3, JobMetrics metrics) {
    this.s3 = s3;
    this.ffmpeg = settings.ffmpeg();
    this.launcher =
        new ProcessLauncher(settings.ffmpegEnvironment(), settings.ffmpegMaxMemoryBytes());
    this.meter = new ChunkLoudnessMeter(ffmpeg, launcher);
    // Beside the jobs' directories, not among them: the worker's sweep takes those for jobs.
    this.encodesDir = settings.workDir().resolve("chunk-encodes");
    this.gate = host.gate();
    this.worker = settings.workerIdentity();
    this.metrics = metrics;
    deleteLeftovers();
  }

  /**
   * Deletes what a worker killed mid-encode left in the encodes' directory. A work directory has
   * one worker, and this runs before it takes any chunk.
   */
  private void deleteLeftovers() {
    if (!Files.isDirectory(encodesDir)) {
      return;
    }
    try {
      deleteTree(encodesDir);
      log.info("deleted the chunk encodes a stopped worker left in {}", encodesDir);
    } catch (IOException e) {
      log.warn("could not delete the chunk encodes left in {}: {}", encodesDir, e.toString());
    }
  }

  @Override
  public ChunkEncoded encodeChunks(ChunkTask task) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    long started = System.nanoTime();
    try (var logContext = ActivityLogContext.enter()) {
      StagingArea staging = StagingArea.at(s3, task.jobId(), task.prefix());
      int reused = 0;
      long bytes = 0;
      for (StagedChunk chunk : task.chunks()) {
        Stored stored = encodeOne(task, chunk, staging, context);
        reused += stored.reused() ? 1 : 0;
        bytes += stored.bytes();
        // Between chunks too: a run of reused chunks, or slow transfers, still show life.
        context.heartbeat(chunk.index());
      }
      return new ChunkEncoded(task.chunks().size(), reused, bytes, seconds(started), worker);
    }
  }

  /** A chunk's frames under the prefix, and whether an earlier run had stored them. */
  private record Stored(long bytes, boolean reused) {}

  private Stored encodeOne(
      ChunkTask task, StagedChunk chunk, StagingArea staging, ActivityExecutionContext context) {
    long started = System.nanoTime();
    FailureSubject about = staging.chunk(chunk.index(), chunk.outputKey());
    try (ShutdownGate.Pass pass = gate.enter()) {
      OptionalLong staged = staging.size(chunk.outputKey());
      if (staged.isPresent()) {
        log.info("job {}: chunk {} was encoded already", task.jobId(), chunk.index());
        return new Stored(staged.getAsLong(), true);
      }
      Files.createDirectories(encodesDir);
      Path dir = Files.createTempDirectory(encodesDir, task.jobId() + "-" + chunk.index() + "-");
      try {
        Path wav = dir.resolve("input.wav");
        staging.get(chunk.inputKey(), wav, staging.chunk(chunk.index(), chunk.inputKey()));
        Path mp3 = dir.resolve("output.mp3");
        Path loudness = dir.resolve("output.loudness.json");
        encode(task, chunk, wav, mp3, loudness, about, context);
        // The measurement first: frames that are stored always have theirs.
        staging.put(chunk.index(), ChunkLoudnessFile.nameFor(chunk.outputKey()), loudness);
        staging.put(chunk.index(), chunk.outputKey(), mp3);
        long bytes = Files.size(mp3);
        log.info(
            "job {}: encoded chunk {} into {} bytes at {} in {} s",
            task.jobId(),
            chunk.index(),
            bytes,
            staging.uri(chunk.outputKey()),
            String.format("%.2f", seconds(started)));
        return new Stored(bytes, false);
      } finally {
        deleteTree(dir);
      }
    } catch (WorkerShuttingDown e) {
      throw FailureType.WORKER_SHUTDOWN.failure(
          about.describe("was not encoded because " + e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(about.describe("could not be encoded on " + worker), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FailureType.WORKER_SHUTDOWN.failure(
          about.describe("was not encoded: worker " + worker + " was interrupted"));
    }
  }

  @Override
  public void deleteStaged(String jobId, String prefix) {
    try (var logContext = ActivityLogContext.enter()) {
      int deleted = StagingArea.at(s3, jobId, prefix).deleteAll();
      log.info("job {}: deleted {} staged files under {}", jobId, deleted, prefix);
    }
  }

  /**
   * Runs FFmpeg, the encoder and then the meter's decode, on a thread of its own while this one
   * heartbeats and watches the gate; whatever stops this thread (cancellation, shutdown) stops
   * FFmpeg before it propagates.
   */
  private void encode(
      ChunkTask task,
      StagedChunk staged,
      Path wav,
      Path mp3,
      Path loudness,
      FailureSubject about,
      ActivityExecutionContext context)
      throws IOException, InterruptedException {
    // The piece holds the chunk's input alone: it starts at sample 0.
    var chunk =
        new Mp3Chunk(
            staged.index(),
            staged.firstFrame(),
            staged.endFrame(),
            0,
            staged.inputSamples(),
            staged.framesToDrop(),
            staged.last());
    var encoder = new Mp3ChunkEncoder(ffmpeg, launcher, task.bitrateKbps());
    BitReservoir reservoir = task.reservoir() ? BitReservoir.CARRIED : BitReservoir.OFF;
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            ActivityLogContext.carry(
                () -> {
                  long ffmpegStarted = System.nanoTime();
                  metrics.ffmpegStarted();
                  try {
                    encoder.encode(wav, task.sampleRate(), chunk, reservoir, mp3);
                    long programmeStart =
                        (staged.firstFrame() - staged.framesToDrop()) * ChunkGrid.FRAME_SAMPLES;
                    ChunkLoudnessFile.write(
                        meter.measureMp3Chunk(
                            mp3, ChunkGrid.TOTAL_DELAY, chunk.meteredSpan(programmeStart)),
                        loudness);
                    done.complete(null);
                  } catch (Throwable e) {
                    done.completeExceptionally(e);
                  } finally {
                    metrics.ffmpegFinished(Duration.ofNanos(System.nanoTime() - ffmpegStarted));
                  }
                }),
            "chunk-encoder-" + task.jobId() + "-" + staged.index());
    thread.start();
    try {
      long lastHeartbeat = System.nanoTime();
      while (true) {
        try {
          done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          gate.throwIfClosed();
          if (System.nanoTime() - lastHeartbeat >= HEARTBEAT_NANOS) {
            context.heartbeat(staged.index());
            lastHeartbeat = System.nanoTime();
          }
        } catch (ExecutionException e) {
          throw FailureType.FFMPEG_FAILED.failureWithCause(
              about.describe("could not be encoded: " + e.getCause().getMessage()), e.getCause());
        }
      }
    } finally {
      if (thread.isAlive()) {
        // The encoder stops its FFmpeg when interrupted, before its thread ends.
        thread.interrupt();
        thread.join(STOP_BOUND.toMillis());
      }
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }
}
