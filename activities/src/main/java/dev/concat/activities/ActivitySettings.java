package dev.concat.activities;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a worker's activities need to know about their host. worker-app builds it from
 * flags and environment variables.
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
    int jobSlots) {}
