package dev.concat.bench;

import dev.concat.testkit.ProcProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was with work that is not the benchmark's: the CPU time all processes used
 * (from /proc/stat) minus what this JVM and every process it started used. A reading near 0 % means
 * the numbers were measured on a quiet machine.
 */
final class MachineLoad {

  /** One reading; take two and compare them with {@link #othersShareSince}. */
  record Reading(long busyTicks, long allTicks, long ownTicks) {}

  static Reading read() {
    String cpu;
    try {
      cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("/proc/stat is not readable; the benchmark needs Linux", e);
    }
    // cpu user nice system idle iowait irq softirq steal ...
    String[] f = cpu.trim().split("\\s+");
    long busy = 0;
    long all = 0;
    for (int i = 1; i <= 8 && i < f.length; i++) {
      long ticks = Long.parseLong(f[i]);
      all += ticks;
      if (i != 4 && i != 5) {
        busy += ticks;
      }
    }
    return new Reading(busy, all, ownTicks());
  }

  /**
   * This JVM with the children it has reaped, plus each live descendant with the children it has
   * reaped: every CPU tick spent by the benchmark's processes, counted once.
   */
  private static long ownTicks() {
    long self = ProcessHandle.current().pid();
    return ProcProcess.tree(self).stream()
        .mapToLong(pid -> ProcProcess.stat(pid).map(ProcProcess.Stat::cpuTicks).orElse(0L))
        .sum();
  }

  /**
   * The share (0 to 1) of the machine's whole CPU that other processes used since {@code start}.
   */
  static double othersShareSince(Reading start) {
    Reading now = read();
    long all = now.allTicks() - start.allTicks();
    if (all <= 0) {
      return 0;
    }
    long others = (now.busyTicks() - start.busyTicks()) - (now.ownTicks() - start.ownTicks());
    return Math.max(0, (double) others / all);
  }

  /** The 1-minute load average. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MachineLoad() {}
}
