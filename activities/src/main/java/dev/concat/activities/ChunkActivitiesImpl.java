package dev.concat.activities;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.ChunkGrid;
import dev.concat.activities.chunk.Mp3Chunk;
import dev.concat.activities.chunk.Mp3ChunkEncoder;
import dev.concat.activities.execution.ActivityLogContext;
import dev.concat.activities.execution.HostResources;
import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.execution.TaskFailure;
import dev.concat.activities.execution.WorkerShuttingDown;
import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
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
import java.util.List;
import java.util.Optional;
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
      // The chunk before the one encoding: measured and stored meanwhile, on a core left idle.
      ChunkEncode storing = null;
      ChunkEncode current = null;
      FailureSubject about = FailureSubject.job(task.jobId());
      Path runDir = null;
      try (ShutdownGate.Pass pass = gate.enter()) {
        Files.createDirectories(encodesDir);
        runDir = Files.createTempDirectory(encodesDir, task.jobId() + "-run-");
        for (StagedChunk chunk : task.chunks()) {
          about = staging.chunk(chunk.index(), chunk.outputKey());
          OptionalLong stored = staging.size(chunk.outputKey());
          if (stored.isPresent()) {
            log.info("job {}: chunk {} was encoded already", task.jobId(), chunk.index());
            reused++;
            bytes += stored.getAsLong();
          } else {
            current = start(task, chunk, staging, about, runDir);
            bytes += await(current.encoded(), chunk.index(), context);
          }
          if (storing != null) {
            await(storing.stored(), chunk.index(), context);
          }
          storing = current;
          current = null;
          // Between chunks too: a run of reused chunks, or slow transfers, still show life.
          context.heartbeat(chunk.index());
        }
        if (storing != null) {
          await(storing.stored(), storing.chunk().index(), context);
        }
        if (reused == 0) {
          // Every chunk's frames are here: the run, stored whole, is what the upload copies. The
          // activity thread heartbeats while it is stored, as while a chunk is.
          Path dir = runDir;
          List<Path> files = task.chunks().stream().map(c -> runFile(dir, c)).toList();
          await(
              CompletableFuture.runAsync(
                  ActivityLogContext.carry(() -> StagedRun.store(task, files, staging, dir))),
              task.chunks().get(task.chunks().size() - 1).index(),
              context);
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
      } finally {
        stop(storing);
        stop(current);
        deleteQuietly(runDir);
      }
      return new ChunkEncoded(task.chunks().size(), reused, bytes, seconds(started), worker);
    }
  }

  /**
   * One chunk's work on a thread of its own: FFmpeg encodes it ({@code encoded}: the frames'
   * bytes), the meter decodes its frames, then its measurement and frames are stored ({@code
   * stored}) and its directory deleted.
   */
  private record ChunkEncode(
      StagedChunk chunk,
      Thread thread,
      CompletableFuture<Long> encoded,
      CompletableFuture<Void> stored) {}

  /** Where a chunk's frames wait, once stored, for its run to be stored whole. */
  private static Path runFile(Path runDir, StagedChunk chunk) {
    return runDir.resolve(chunk.index() + ".mp3");
  }

  /**
   * Fetches the chunk's PCM into a directory of its own and starts its thread, which leaves the
   * encoded frames in {@code runDir} once they are stored.
   */
  private ChunkEncode start(
      ChunkTask task, StagedChunk staged, StagingArea staging, FailureSubject about, Path runDir)
      throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(encodesDir);
    Path dir = Files.createTempDirectory(encodesDir, task.jobId() + "-" + staged.index() + "-");
    Path wav = dir.resolve("input.wav");
    try {
      staging.get(staged.inputKey(), wav, staging.chunk(staged.index(), staged.inputKey()));
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
    var encoded = new CompletableFuture<Long>();
    var stored = new CompletableFuture<Void>();
    Thread thread =
        new Thread(
            ActivityLogContext.carry(
                () -> {
                  try {
                    Path mp3 = dir.resolve("output.mp3");
                    Optional<Path> loudness = encodeAndMeasure(task, staged, wav, mp3, encoded);
                    // The measurement first: frames that are stored have theirs, unless the
                    // chunk's pre-roll was too short for one (the host measures the joined file).
                    if (loudness.isPresent()) {
                      staging.put(
                          staged.index(),
                          ChunkLoudnessFile.nameFor(staged.outputKey()),
                          loudness.get());
                    }
                    staging.put(staged.index(), staged.outputKey(), mp3);
                    Files.move(mp3, runFile(runDir, staged));
                    log.info(
                        "job {}: encoded chunk {} into {} bytes at {} in {} s",
                        task.jobId(),
                        staged.index(),
                        Files.size(runFile(runDir, staged)),
                        staging.uri(staged.outputKey()),
                        String.format("%.2f", seconds(started)));
                    stored.complete(null);
                  } catch (FfmpegStepFailed e) {
                    RuntimeException failure =
                        FailureType.FFMPEG_FAILED.failureWithCause(
                            about.describe("could not be encoded: " + e.getCause().getMessage()),
                            e.getCause());
                    encoded.completeExceptionally(failure);
                    stored.completeExceptionally(failure);
                  } catch (IOException e) {
                    var failure =
                        new UncheckedIOException(
                            about.describe("could not be encoded on " + worker), e);
                    encoded.completeExceptionally(failure);
                    stored.completeExceptionally(failure);
                  } catch (Throwable e) {
                    encoded.completeExceptionally(e);
                    stored.completeExceptionally(e);
                  } finally {
                    try {
                      deleteTree(dir);
                    } catch (IOException e) {
                      log.warn("could not delete {}: {}", dir, e.toString());
                    }
                  }
                }),
            "chunk-encoder-" + task.jobId() + "-" + staged.index());
    thread.start();
    return new ChunkEncode(staged, thread, encoded, stored);
  }

  /** A failure of FFmpeg, the encoder's or the meter's, as opposed to storing the result. */
  private static final class FfmpegStepFailed extends Exception {
    FfmpegStepFailed(Throwable cause) {
      super(cause);
    }
  }

  /**
   * Encodes the chunk (completing {@code encoded} with its bytes) and meters its own frames.
   *
   * @return the measurement's file; empty when the chunk's pre-roll is too short to meter it
   */
  private Optional<Path> encodeAndMeasure(
      ChunkTask task, StagedChunk staged, Path wav, Path mp3, CompletableFuture<Long> encoded)
      throws FfmpegStepFailed {
    // The piece holds the chunk's input alone: it starts at sample 0.
    Mp3Chunk chunk = StagedRun.chunk(staged);
    var encoder = new Mp3ChunkEncoder(ffmpeg, launcher, task.bitrateKbps());
    BitReservoir reservoir = task.reservoir() ? BitReservoir.CARRIED : BitReservoir.OFF;
    long ffmpegStarted = System.nanoTime();
    metrics.ffmpegStarted();
    try {
      encoder.encode(wav, task.sampleRate(), chunk, reservoir, mp3);
      encoded.complete(Files.size(mp3));
      long programmeStart = (staged.firstFrame() - staged.framesToDrop()) * ChunkGrid.FRAME_SAMPLES;
      Optional<ChunkSpan> span = chunk.meteredSpan(programmeStart, task.sampleRate());
      if (span.isEmpty()) {
        return Optional.empty();
      }
      Path loudness = ChunkLoudnessFile.beside(mp3);
      ChunkLoudnessFile.write(
          meter.measureEncodedChunk(mp3, "mp3", ChunkGrid.TOTAL_DELAY, span.get()), loudness);
      return Optional.of(loudness);
    } catch (Exception e) {
      throw new FfmpegStepFailed(e);
    } finally {
      metrics.ffmpegFinished(Duration.ofNanos(System.nanoTime() - ffmpegStarted));
    }
  }

  /**
   * Waits for one chunk's step while heartbeating and watching the gate; a failed step's failure is
   * thrown as it is.
   */
  private <T> T await(CompletableFuture<T> step, int index, ActivityExecutionContext context)
      throws InterruptedException {
    long lastHeartbeat = System.nanoTime();
    while (true) {
      try {
        return step.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        gate.throwIfClosed();
        if (System.nanoTime() - lastHeartbeat >= HEARTBEAT_NANOS) {
          context.heartbeat(index);
          lastHeartbeat = System.nanoTime();
        }
      } catch (ExecutionException e) {
        throw TaskFailure.unchecked(e);
      }
    }
  }

  /**
   * Stops a chunk's thread, if it still runs: its FFmpeg stops when the thread is interrupted,
   * before the thread ends, and the thread deletes its directory.
   */
  private static void stop(ChunkEncode encode) {
    if (encode == null || !encode.thread().isAlive()) {
      return;
    }
    encode.thread().interrupt();
    try {
      encode.thread().join(STOP_BOUND.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void deleteStaged(String jobId, String prefix) {
    try (var logContext = ActivityLogContext.enter()) {
      int deleted = StagingArea.at(s3, jobId, prefix).deleteAll();
      log.info("job {}: deleted {} staged files under {}", jobId, deleted, prefix);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
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
