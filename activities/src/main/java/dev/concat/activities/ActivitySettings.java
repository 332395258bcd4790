package dev.concat.activities;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.contract.policy.OperatorPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a worker's activities need to know about their host. worker-app builds it from flags
 * and environment variables.
 *
 * @param workDir root of local work files; a job lives in {@code workDir/jobs/<jobId>}
 * @param ffmpeg the ffmpeg binary
 * @param ffprobe the ffprobe binary
 * @param ffmpegEnvironment extra environment for both (LD_LIBRARY_PATH for a bundled build)
 * @param downloadParallelism how many segments are fetched at once
 * @param progressInterval the least time between two progress signals to the workflow
 * @param killGrace how long FFmpeg gets after SIGTERM before SIGKILL
 * @param workerIdentity this worker's identity, {@code pid@hostname}
 * @param hostTaskQueue the task queue only this host polls
 * @param jobSlots how many jobs this host takes on at once
 * @param policy where jobs may read and write, and the ceilings the activities measure
 * @param ffmpegMaxMemoryBytes the address space each FFmpeg and ffprobe may use; 0 for no ceiling
 * @param chunkedEncoding which MP3 joins are encoded in chunks on every free core
 * @param chunkSpread whether this host stages a chunked join's chunks for any worker to encode when
 *     its workflow asks ({@code ConcatInput.stageChunks}); false keeps them on this host
 */
public record ActivitySettings(
    Path workDir,
    Path ffmpeg,
    Path ffprobe,
    Map<String, String> ffmpegEnvironment,
    int downloadParallelism,
    Duration progressInterval,
    Duration killGrace,
    String workerIdentity,
    String hostTaskQueue,
    int jobSlots,
    OperatorPolicy policy,
    long ffmpegMaxMemoryBytes,
    ChunkedEncoding chunkedEncoding,
    boolean chunkSpread) {

  /**
   * FFmpeg's ceiling when an operator sets none: far above a normal job, far below a decoding bomb.
   */
  public static final long DEFAULT_FFMPEG_MAX_MEMORY = 2L << 30;

  /** Settings that let jobs read and write anywhere, with the default ceilings. */
  public ActivitySettings(
      Path workDir,
      Path ffmpeg,
      Path ffprobe,
      Map<String, String> ffmpegEnvironment,
      int downloadParallelism,
      Duration progressInterval,
      Duration killGrace,
      String workerIdentity,
      String hostTaskQueue,
      int jobSlots) {
    this(
        workDir,
        ffmpeg,
        ffprobe,
        ffmpegEnvironment,
        downloadParallelism,
        progressInterval,
        killGrace,
        workerIdentity,
        hostTaskQueue,
        jobSlots,
        OperatorPolicy.anywhere(),
        DEFAULT_FFMPEG_MAX_MEMORY,
        ChunkedEncoding.DEFAULT,
        true);
  }

  /** These settings under {@code newPolicy} and FFmpeg memory ceiling. */
  public ActivitySettings withLimits(OperatorPolicy newPolicy, long newFfmpegMaxMemoryBytes) {
    return new ActivitySettings(
        workDir,
        ffmpeg,
        ffprobe,
        ffmpegEnvironment,
        downloadParallelism,
        progressInterval,
        killGrace,
        workerIdentity,
        hostTaskQueue,
        jobSlots,
        newPolicy,
        newFfmpegMaxMemoryBytes,
        chunkedEncoding,
        chunkSpread);
  }

  /** These settings with {@code chunked} deciding which MP3 joins are encoded in chunks. */
  public ActivitySettings withChunkedEncoding(ChunkedEncoding chunked) {
    return new ActivitySettings(
        workDir,
        ffmpeg,
        ffprobe,
        ffmpegEnvironment,
        downloadParallelism,
        progressInterval,
        killGrace,
        workerIdentity,
        hostTaskQueue,
        jobSlots,
        policy,
        ffmpegMaxMemoryBytes,
        chunked,
        chunkSpread);
  }

  /** These settings with {@code spread} deciding whether chunks may be staged for other workers. */
  public ActivitySettings withChunkSpread(boolean spread) {
    return new ActivitySettings(
        workDir,
        ffmpeg,
        ffprobe,
        ffmpegEnvironment,
        downloadParallelism,
        progressInterval,
        killGrace,
        workerIdentity,
        hostTaskQueue,
        jobSlots,
        policy,
        ffmpegMaxMemoryBytes,
        chunkedEncoding,
        spread);
  }
}
