package dev.concat.app.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Explicit FFmpeg binaries; without them both are looked up on the PATH. */
public final class FfmpegOptions {
  @Option(
      names = "--ffmpeg",
      paramLabel = "PATH",
      description = "The ffmpeg binary. Env FFMPEG_PATH; default: ffmpeg on the PATH.")
  private Path ffmpeg;

  @Option(
      names = "--ffprobe",
      paramLabel = "PATH",
      description =
          "The ffprobe binary. Env FFPROBE_PATH; default: next to --ffmpeg, else on the PATH.")
  private Path ffprobe;

  @Option(
      names = "--ffmpeg-max-memory",
      paramLabel = "SIZE",
      defaultValue = "2GiB",
      converter = ByteSizeConverter.class,
      description =
          "Address space each FFmpeg and ffprobe may use (set with prlimit); a segment that needs more "
              + "fails the job with FfmpegOutOfMemory. At least 512MiB; 0 for no ceiling. "
              + "Env CONCAT_FFMPEG_MAX_MEMORY; default: ${DEFAULT-VALUE}.")
  private long maxMemory;

  /** FFmpeg's memory ceiling in bytes; 0 for none. */
  public long maxMemory() {
    return maxMemory;
  }

  public Path ffmpeg() {
    return ffmpeg;
  }

  public Path ffprobe() {
    return ffprobe;
  }
}
