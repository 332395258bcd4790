package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A FIFO in the work directory, through which FFmpeg and a meter pass audio without a file. */
final class NamedPipe {
  private NamedPipe() {}

  /**
   * Makes a FIFO at {@code path}, readable by this user only, replacing whatever was there.
   *
   * @return false when this host cannot ({@code mkfifo} missing or failing): the caller then works
   *     without one
   */
  static boolean make(Path path) throws IOException, InterruptedException {
    Files.deleteIfExists(path);
    Process mkfifo =
        new ProcessBuilder("mkfifo", "-m", "600", path.toString())
            .redirectErrorStream(true)
            .start();
    if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
      mkfifo.destroyForcibly();
      return false;
    }
    return true;
  }
}
