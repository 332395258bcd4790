package dev.concat.app.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Explicit FFmpeg binaries; without them both are looked up on the PATH. */
public final class FfmpegOptions {
  @Option(names = "--ffmpeg", paramLabel = "PATH",
      description = "The ffmpeg binary. Env FFMPEG_PATH; default: ffmpeg on the PATH.")
  private Path ffmpeg;

  @Option(names = "--ffprobe", paramLabel = "PATH",
      description = "The ffprobe binary. Env FFPROBE_PATH; default: next to --ffmpeg, else on the PATH.")
  private Path ffprobe;

  public Path ffmpeg() {
    return ffmpeg;
  }

  public Path ffprobe() {
    return ffprobe;
  }
}
