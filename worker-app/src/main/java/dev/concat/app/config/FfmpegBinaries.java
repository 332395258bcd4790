package dev.concat.app.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The ffmpeg and ffprobe this process runs: from the flags or FFMPEG_PATH/FFPROBE_PATH, else the
 * PATH. ffprobe is first looked for next to an explicit ffmpeg, since they ship together.
 */
public record FfmpegBinaries(Path ffmpeg, Path ffprobe) {

  static final String HOW_TO_INSTALL =
      "install FFmpeg (Debian/Ubuntu: apt-get install ffmpeg), "
          + "set FFMPEG_PATH and FFPROBE_PATH to the binaries, or start concat with the ./concat launcher, "
          + "which fetches one";

  public static FfmpegBinaries locate(FfmpegOptions options, String searchPath) {
    Path ffmpeg =
        explicit(options.ffmpeg(), "ffmpeg", "FFMPEG_PATH")
            .orElseGet(() -> onPath("ffmpeg", searchPath));
    Path ffprobe =
        explicit(options.ffprobe(), "ffprobe", "FFPROBE_PATH")
            .or(
                () ->
                    options.ffmpeg() == null
                        ? Optional.empty()
                        : SearchPath.executable(ffmpeg.resolveSibling("ffprobe")))
            .orElseGet(() -> onPath("ffprobe", searchPath));
    return new FfmpegBinaries(ffmpeg, ffprobe);
  }

  private static Optional<Path> explicit(Path given, String tool, String variable) {
    if (given == null) {
      return Optional.empty();
    }
    return Optional.of(
        SearchPath.executable(given)
            .orElseThrow(
                () ->
                    new MissingToolException(
                        tool
                            + " at '"
                            + given
                            + "' (--"
                            + tool
                            + " or "
                            + variable
                            + ") is not an executable file; "
                            + HOW_TO_INSTALL)));
  }

  private static Path onPath(String tool, String searchPath) {
    return SearchPath.find(tool, searchPath)
        .orElseThrow(
            () -> new MissingToolException(tool + " was not found on the PATH; " + HOW_TO_INSTALL));
  }

  /** A required external program is missing; the message says what to install. */
  public static final class MissingToolException extends RuntimeException {
    public MissingToolException(String message) {
      super(message);
    }
  }
}
