package dev.concat.app.config;

import dev.concat.activities.chunk.ChunkedEncoding;
import java.time.Duration;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** How much one worker takes on and how it stops. */
public final class WorkerTuning {
  @Option(
      names = "--max-concurrent-jobs",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Most jobs this worker takes on at once (a job holds its slot from claim to upload; FFmpeg is "
              + "the heavy part). A worker with no free slot leaves new jobs to others. "
              + "Env CONCAT_MAX_CONCURRENT_JOBS; default: ${DEFAULT-VALUE}.")
  private int maxConcurrentJobs;

  @Option(
      names = "--download-parallelism",
      paramLabel = "N",
      defaultValue = "8",
      description =
          "Segments fetched at once per job. Env CONCAT_DOWNLOAD_PARALLELISM; default: ${DEFAULT-VALUE}.")
  private int downloadParallelism;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      // Each report is five history events (the update and its workflow task): at 2 s a 40-minute
      // join took 13 of them, 65 of its 109 events; at 5 s it takes about 7.
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Least time between two progress signals to a job's workflow. Env CONCAT_PROGRESS_INTERVAL; default: ${DEFAULT-VALUE}.")
  private Duration progressInterval;

  @Option(
      names = "--kill-grace",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Time FFmpeg gets after SIGTERM before SIGKILL. Env CONCAT_KILL_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration killGrace;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, the bound on the whole shutdown: polling stops, FFmpeg is killed, the jobs' "
              + "files are deleted and their steps handed back, then the worker exits. "
              + "Env CONCAT_SHUTDOWN_GRACE; default: ${DEFAULT-VALUE}.")
  private Duration shutdownGrace;

  @Option(
      names = "--sweep-interval",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How often the worker deletes the work directories of jobs that ended or moved to another "
              + "worker (also done at start). Env CONCAT_SWEEP_INTERVAL; default: ${DEFAULT-VALUE}.")
  private Duration sweepInterval;

  @Option(
      names = "--chunk-min-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + ChunkedEncoding.DEFAULT_MIN_SECONDS,
      description =
          "Re-encoded MP3 joins at least this long are encoded in chunks on every core the "
              + "worker's other jobs leave free; shorter ones by one FFmpeg; 0 encodes none in chunks. "
              + "Env CONCAT_CHUNK_MIN_SECONDS; default: ${DEFAULT-VALUE} (off: no faster on 2 cores).")
  private long chunkMinSeconds = ChunkedEncoding.DEFAULT_MIN_SECONDS;

  @Option(
      names = "--m4a-chunk-min-seconds",
      paramLabel = "SECONDS",
      defaultValue = "" + ChunkedEncoding.DEFAULT_M4A_MIN_SECONDS,
      description =
          "The same for re-encoded M4A joins, in two-minute chunks. Env "
              + "CONCAT_M4A_CHUNK_MIN_SECONDS; default: ${DEFAULT-VALUE} (1.7x faster on 2 cores "
              + "for 40 minutes).")
  private long m4aChunkMinSeconds = ChunkedEncoding.DEFAULT_M4A_MIN_SECONDS;

  @Option(
      names = "--chunk-spread",
      paramLabel = "auto|true|false",
      arity = "1",
      defaultValue = "auto",
      converter = ChunkSpread.Parser.class,
      description =
          "A chunked MP3 encode is spread over every worker: the host stages the chunks in the output "
              + "bucket, any worker polling the task queue's -chunks queue encodes them, the host "
              + "joins them. auto spreads only when another worker polled that queue in the last "
              + "2 minutes (a lone worker is faster on its own cores); true always; false encodes "
              + "them on the host's own cores. "
              + "Env CONCAT_CHUNK_SPREAD; default: ${DEFAULT-VALUE}.")
  private ChunkSpread chunkSpread = ChunkSpread.AUTO;

  @Option(
      names = "--chunk-run-seconds",
      paramLabel = "SECONDS",
      defaultValue = "1200",
      description =
          "Audio one worker encodes in one activity of a spread encode this worker hosts, chunk "
              + "after chunk: shorter runs spread a job over more workers, longer ones keep its "
              + "history shorter (about six events a run). "
              + "Env CONCAT_CHUNK_RUN_SECONDS; default: ${DEFAULT-VALUE} (20 minutes).")
  private long chunkRunSeconds = ChunkedEncoding.DEFAULT_RUN_LENGTH.toSeconds();

  @Option(
      names = "--chunk-cache-mib",
      paramLabel = "MIB",
      defaultValue = "" + ChunkedEncoding.DEFAULT_CACHE_MIB,
      description =
          "Disk the chunks of a chunked encode keep after their job, in the work directory's "
              + "chunk-cache: a later job on this worker with a chunk of the same audio and settings "
              + "(an episode submitted again with one segment replaced) uses it instead of encoding "
              + "it again. The least recently used go first; a job short of disk evicts them; the worker "
              + "starts with none. 0 keeps none. Env CONCAT_CHUNK_CACHE_MIB; default: "
              + "${DEFAULT-VALUE}.")
  private long chunkCacheMib = ChunkedEncoding.DEFAULT_CACHE_MIB;

  @Option(
      names = "--chunk-slots",
      paramLabel = "N",
      description =
          "Chunks of spread encodes (any job's) this worker encodes at once; 0 does not poll the "
              + "-chunks queue at all, for a worker that only hosts jobs. "
              + "Env CONCAT_CHUNK_SLOTS; default: the host's cores.")
  private Integer chunkSlots;

  public int maxConcurrentJobs() {
    return maxConcurrentJobs;
  }

  public int downloadParallelism() {
    return downloadParallelism;
  }

  public Duration progressInterval() {
    return progressInterval;
  }

  public Duration killGrace() {
    return killGrace;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public Duration sweepInterval() {
    return sweepInterval;
  }

  public ChunkSpread chunkSpread() {
    return chunkSpread;
  }

  /** The chunk slots asked for, or empty for one a core. */
  public OptionalInt chunkSlots() {
    return chunkSlots == null ? OptionalInt.empty() : OptionalInt.of(chunkSlots);
  }

  public ChunkedEncoding chunkedEncoding() {
    return new ChunkedEncoding(
        Duration.ofSeconds(chunkMinSeconds),
        ChunkedEncoding.DEFAULT_CHUNK_LENGTH,
        Duration.ofSeconds(chunkRunSeconds),
        Duration.ofSeconds(m4aChunkMinSeconds),
        chunkCacheMib << 20);
  }
}
