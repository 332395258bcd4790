package dev.concat.bench;

import dev.concat.testkit.ProcProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One FFmpeg command run directly, as a shell script runs it: its wall time from start to exit, its
 * CPU time, and the last {@code speed=} FFmpeg reported on its {@code -progress} output (its own
 * measure of how many seconds of audio it processes per second).
 */
record FfmpegRun(double seconds, double cpuSeconds, OptionalDouble speed) {

  /**
   * Runs {@code command}; call it from one thread at a time, as its CPU time is read from this
   * JVM's reaped children.
   */
  static FfmpegRun of(List<String> command) throws IOException, InterruptedException {
    long childTicks = reapedChildrenTicks();
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    var stderr = new StringBuilder();
    Thread errors =
        new Thread(
            () -> {
              try {
                stderr.append(
                    new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // The process ended; what was read is the message.
              }
            },
            "bench-ffmpeg-stderr");
    errors.start();
    OptionalDouble speed = OptionalDouble.empty();
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("speed=") && line.endsWith("x")) {
          speed =
              OptionalDouble.of(Double.parseDouble(line.substring(6, line.length() - 1).strip()));
        }
      }
    }
    int exit = process.waitFor();
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpu = (reapedChildrenTicks() - childTicks) / ProcProcess.TICKS_PER_SECOND;
    errors.join();
    if (exit != 0) {
      throw new IOException(
          "ffmpeg exited " + exit + ": " + stderr.toString().strip() + "; command " + command);
    }
    return new FfmpegRun(seconds, cpu, speed);
  }

  private static long reapedChildrenTicks() {
    return ProcProcess.stat(ProcessHandle.current().pid())
        .map(s -> s.cpuTicks() - s.ownCpuTicks())
        .orElse(0L);
  }
}
