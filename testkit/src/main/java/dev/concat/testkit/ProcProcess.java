package dev.concat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What Linux's /proc says about a process: its stat line, arguments, memory and children. */
public final class ProcProcess {
  /** Clock ticks per second of /proc's times; 100 on every Linux this runs on. */
  public static final double TICKS_PER_SECOND = 100;

  /**
   * One reading of {@code /proc/PID/stat}.
   *
   * @param startTicks when the process started, in clock ticks since boot
   * @param ownCpuTicks user and system time of the process itself
   * @param cpuTicks that and the user and system time of the children it has waited for
   */
  public record Stat(
      long pid, String command, char state, long startTicks, long ownCpuTicks, long cpuTicks) {
    public boolean exited() {
      return state == 'Z' || state == 'X';
    }
  }

  public static Optional<Stat> stat(long pid) {
    String line = read(Path.of("/proc", String.valueOf(pid), "stat"));
    if (line == null) {
      return Optional.empty();
    }
    // The command is in parentheses and may itself hold spaces and parentheses.
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    String[] fields = line.substring(close + 2).trim().split(" ");
    // fields[0] is field 3 of proc(5): state; utime, stime, cutime, cstime are 14-17; starttime is
    // 22.
    long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    return Optional.of(
        new Stat(
            pid,
            line.substring(open + 1, close),
            fields[0].charAt(0),
            Long.parseLong(fields[19]),
            own,
            own + children));
  }

  /** Every live process (and zombie), from the numeric entries of /proc. */
  public static List<Long> pids() {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list /proc", e);
    }
  }

  /** The process's arguments; empty when it is gone or a zombie. */
  public static List<String> argv(long pid) {
    String line = read(Path.of("/proc", String.valueOf(pid), "cmdline"));
    return line == null || line.isEmpty() ? List.of() : Arrays.asList(line.split("\0"));
  }

  /** The process's arguments joined by spaces; empty when gone. */
  public static String commandLine(long pid) {
    return String.join(" ", argv(pid));
  }

  /** A field of {@code /proc/PID/status} in bytes ({@code VmRSS}, {@code VmHWM}); 0 when gone. */
  public static long statusBytes(long pid, String field) {
    String status = read(Path.of("/proc", String.valueOf(pid), "status"));
    if (status == null) {
      return 0;
    }
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip()) * 1024;
      }
    }
    return 0;
  }

  /**
   * The process's children, from every thread's {@code children} file (each lists what that thread
   * started).
   */
  public static List<Long> children(long pid) {
    List<Long> children = new ArrayList<>();
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks) {
        String list = read(task.resolve("children"));
        if (list != null && !list.isBlank()) {
          for (String child : list.trim().split(" ")) {
            children.add(Long.parseLong(child));
          }
        }
      }
    } catch (IOException gone) {
      // The process or a thread ended while we looked; what was read stands.
    }
    return children;
  }

  /** The process and all its descendants. */
  public static List<Long> tree(long pid) {
    List<Long> tree = new ArrayList<>(List.of(pid));
    for (int i = 0; i < tree.size(); i++) {
      tree.addAll(children(tree.get(i)));
    }
    return tree;
  }

  /** Resets the process's peak resident size (VmHWM) to its current size. */
  public static void resetPeakRss(long pid) {
    try {
      Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the peak RSS of process " + pid + ": " + e, e);
    }
  }

  /** Seconds since boot, the clock of {@link Stat#startTicks}. */
  public static double uptimeSeconds() {
    String uptime = read(Path.of("/proc/uptime"));
    if (uptime == null) {
      throw new IllegalStateException("/proc/uptime is not readable; this needs Linux");
    }
    return Double.parseDouble(uptime.split(" ")[0]);
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      // A process that exits while we read gives ESRCH; treat it as gone.
      return null;
    }
  }

  private ProcProcess() {}
}
