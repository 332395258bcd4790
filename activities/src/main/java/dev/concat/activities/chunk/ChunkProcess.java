package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs one chunk's FFmpeg on the calling thread, which is the thread that must wait for it.
 * Interrupting that thread stops FFmpeg before {@link #run} returns.
 */
final class ChunkProcess {
  /** Enough of FFmpeg's stderr (errors only) to name the reason it failed. */
  private static final int STDERR_LIMIT = 8_192;

  private ChunkProcess() {}

  /**
   * @param what the chunk's work, for the failure's message: "encoding chunk 3 (samples …)"
   */
  static void run(ProcessLauncher launcher, List<String> command, String what)
      throws IOException, InterruptedException {
    Process process = launcher.start(command);
    var stderr = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> drain(process.getErrorStream(), stderr), "chunk-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      int exit = process.waitFor();
      drain.join(2_000);
      if (exit != 0) {
        String reason;
        synchronized (stderr) {
          reason = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        throw new IOException("FFmpeg failed (exit " + exit + ") " + what + ": " + reason);
      }
    } finally {
      if (process.isAlive()) {
        // The guard kills FFmpeg's whole process group on SIGTERM.
        process.destroy();
        process.waitFor();
      }
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream sink) {
    byte[] buffer = new byte[4_096];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (sink) {
          if (sink.size() < STDERR_LIMIT) {
            sink.write(buffer, 0, Math.min(n, STDERR_LIMIT - sink.size()));
          }
        }
      }
    } catch (IOException e) {
      // The process is gone; what was read so far is the reason, if any.
    }
  }
}
