package dev.concat.bench;

import dev.concat.app.config.FfmpegBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The machine the numbers were measured on, as the results file describes it. */
record MachineDescription(
    int cpus, String cpuModel, double memoryGib, String kernel, String java, String ffmpeg) {

  static MachineDescription of(FfmpegBinaries ffmpeg) {
    return new MachineDescription(
        Runtime.getRuntime().availableProcessors(),
        firstLine(Path.of("/proc/cpuinfo"), "model name")
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .orElse("unknown"),
        firstLine(Path.of("/proc/meminfo"), "MemTotal").map(MachineDescription::gib).orElse(0.0),
        read(Path.of("/proc/sys/kernel/osrelease")).map(String::strip).orElse("unknown"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        versionLine(List.of(ffmpeg.ffmpeg().toString(), "-hide_banner", "-version"))
            .orElse("unknown"));
  }

  /** The first line a program prints, such as {@code temporal --version}. */
  static Optional<String> versionLine(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return out.lines().findFirst().map(String::strip);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "%d CPUs (`nproc`), %s, %.1f GiB RAM, Linux %s, %s, %s",
        cpus,
        cpuModel,
        memoryGib,
        kernel,
        java,
        ffmpeg);
  }

  private static double gib(String memTotalLine) {
    String kb = memTotalLine.replaceAll("[^0-9]", "");
    return Long.parseLong(kb) / 1024.0 / 1024.0;
  }

  private static Optional<String> firstLine(Path file, String prefix) {
    return read(file).flatMap(text -> text.lines().filter(l -> l.startsWith(prefix)).findFirst());
  }

  private static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
