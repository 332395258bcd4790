package dev.concat.activities.ffmpeg;

import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an FFmpeg run ended, and the failure it means. Java reports a child killed by signal N as
 * exit code 128 + N; FFmpeg itself exits 255 after catching SIGTERM or SIGINT.
 *
 * @param code the process exit code
 * @param stderr the last lines FFmpeg wrote to stderr, one per line
 */
record FfmpegExit(int code, String stderr) {
  private static final int FFMPEG_SIGNALLED = 255;

  /**
   * What FFmpeg (or the loader, for its libraries) prints when an allocation fails under its
   * ceiling.
   */
  private static final Pattern OUT_OF_MEMORY =
      Pattern.compile(
          "Cannot allocate memory|Failed to allocate|failed to map segment from shared object|std::bad_alloc");

  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

  boolean succeeded() {
    return code == 0;
  }

  ApplicationFailure toFailure(String jobId) {
    if (code != 0 && OUT_OF_MEMORY.matcher(stderr).find()) {
      return FailureType.FFMPEG_OUT_OF_MEMORY.failure(
          FailureSubject.job(jobId)
              .describe(
                  "FFmpeg needed more memory "
                      + "than its ceiling (CONCAT_FFMPEG_MAX_MEMORY, --ffmpeg-max-memory) allows; a segment decodes to more than "
                      + "this worker accepts, or the ceiling is too low for this job; stderr: "
                      + oneLine(stderr)));
    }
    if (code > 128 && code < FFMPEG_SIGNALLED) {
      int signal = code - 128;
      String name = SIGNALS.getOrDefault(signal, "signal " + signal);
      String hint =
          signal == 9
              ? ": nothing in concat sends SIGKILL unprompted, so this usually is the kernel's OOM killer"
                  + " (check dmesg and the container's memory limit)"
              : "";
      return failure(
          jobId,
          "FFmpeg was killed by " + name + " (" + signal + ")" + hint,
          FailureType.FFMPEG_KILLED);
    }
    if (code == FFMPEG_SIGNALLED) {
      return failure(
          jobId,
          "FFmpeg stopped after receiving SIGTERM or SIGINT from outside the worker (exit 255)",
          FailureType.FFMPEG_KILLED);
    }
    return failure(jobId, "FFmpeg failed with exit code " + code, FailureType.FFMPEG_FAILED);
  }

  /**
   * The loudness meter's summary from this run's stderr and its frame log ({@link
   * LoudnessSummary#filter}), which is deleted once read; a run that printed no summary fails as
   * {@code FfmpegFailed}.
   */
  LoudnessSummary loudness(String jobId, Path frameLog) throws IOException {
    try {
      return LoudnessSummary.read(stderr, frameLog);
    } catch (IllegalArgumentException e) {
      throw FailureType.FFMPEG_FAILED.failure(
          FailureSubject.job(jobId)
              .describe("the loudness meter printed no summary: " + e.getMessage()));
    } finally {
      Files.deleteIfExists(frameLog);
    }
  }

  /** Lines joined for a one-line failure message. */
  static String oneLine(String lines) {
    return String.join(" | ", lines.lines().filter(l -> !l.isBlank()).toList());
  }

  private ApplicationFailure failure(String jobId, String what, FailureType type) {
    String tail = stderr.isBlank() ? "" : "; stderr: " + oneLine(stderr);
    return type.failure(FailureSubject.job(jobId).describe(what + tail));
  }
}
