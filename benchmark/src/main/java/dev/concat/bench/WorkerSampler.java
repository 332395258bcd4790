package dev.concat.bench;

import dev.concat.testkit.ProcProcess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches a worker JVM from outside, through /proc: its peak resident memory, and every FFmpeg and
 * ffprobe process under it with its lifetime (start from the kernel's start time, end at the first
 * look that finds it gone). Looking costs a few file reads every {@link #TICK_MILLIS} ms on a
 * thread of the benchmark's JVM, not the worker's.
 */
final class WorkerSampler implements AutoCloseable {
  /** How often live processes are looked at: the error on an FFmpeg run's end. */
  private static final long TICK_MILLIS = 20;

  /** New processes are looked for every this many ticks (it reads a file per worker thread). */
  private static final int DISCOVER_EVERY = 3;

  private static final Set<String> FFMPEG = Set.of("ffmpeg", "ffprobe");

  /**
   * An FFmpeg run without -progress that encodes nothing only reads its inputs (a probe); joins and
   * decodes report progress.
   */
  static final String FFMPEG_PROBE = "ffmpeg (probe)";

  /**
   * An FFmpeg run through the EBU R128 meter measures loudness (the output's, or before
   * normalising), as does one decoding to 32-bit float for the Java meter.
   */
  static final String FFMPEG_METER = "ffmpeg (meter)";

  /**
   * One FFmpeg or ffprobe process the worker ran; times in seconds since boot.
   *
   * @param cpuSeconds its user and system time when last seen (exact when seen as a zombie)
   */
  record Run(String command, double start, double end, double cpuSeconds) {
    double seconds() {
      return end - start;
    }
  }

  /**
   * What was seen since the last {@link #reset}.
   *
   * @param ffmpegPeakRssBytes the largest resident size of one FFmpeg or ffprobe process (their
   *     shared libraries count in each, so a sum over processes would overstate what they take
   *     together)
   * @param workerCpuSeconds CPU time of the worker JVM itself, its FFmpeg and ffprobe not included
   */
  record Observed(
      long workerPeakRssBytes, long ffmpegPeakRssBytes, List<Run> runs, double workerCpuSeconds) {
    /**
     * The wall time during which at least one such process ran: chunk encoders running side by side
     * count once, processes one after another add up.
     */
    double seconds(String command) {
      List<Run> matching =
          runs.stream()
              .filter(r -> r.command().equals(command))
              .sorted(Comparator.comparingDouble(Run::start))
              .toList();
      double total = 0;
      double coveredTo = Double.NEGATIVE_INFINITY;
      for (Run run : matching) {
        double from = Math.max(run.start(), coveredTo);
        if (run.end() > from) {
          total += run.end() - from;
          coveredTo = run.end();
        }
      }
      return total;
    }

    double cpuSeconds(String command) {
      return runs.stream()
          .filter(r -> r.command().equals(command))
          .mapToDouble(Run::cpuSeconds)
          .sum();
    }

    long count(String command) {
      return runs.stream().filter(r -> r.command().equals(command)).count();
    }
  }

  private static final class Tracked {
    final long pid;
    final long startTicks;
    String command;
    long cpuTicks;

    Tracked(long pid, long startTicks, String command) {
      this.pid = pid;
      this.startTicks = startTicks;
      this.command = command;
    }

    /** A child is first seen as the JVM's fork or the guard's shell; it is named after its exec. */
    void seen(ProcProcess.Stat stat) {
      cpuTicks = stat.ownCpuTicks();
      if (!stat.command().equals(command) && !command.startsWith(stat.command())) {
        command =
            stat.command().equals("ffmpeg")
                ? ffmpegKind(ProcProcess.commandLine(pid))
                : stat.command();
      }
    }

    boolean isFfmpeg() {
      return FFMPEG.contains(command)
          || command.equals(FFMPEG_PROBE)
          || command.equals(FFMPEG_METER);
    }

    private static String ffmpegKind(String commandLine) {
      // A chunked encode's chunk encoders (LAME, or AAC for an M4A) report no progress; its range
      // meters decode to 32-bit float for the Java meter.
      if (commandLine.contains("pcm_f32le") || commandLine.contains("ebur128")) {
        return FFMPEG_METER;
      }
      if (!commandLine.contains("-progress")
          && !commandLine.contains("libmp3lame")
          && !commandLine.contains("-c:a aac ")) {
        return FFMPEG_PROBE;
      }
      return "ffmpeg";
    }
  }

  private final long workerPid;
  private final double bootMinusNano;
  private final Thread thread;
  private volatile boolean running = true;
  private final Map<Long, Tracked> live = new HashMap<>();
  private final List<Run> finished = new ArrayList<>();
  private long ffmpegPeak;
  private long workerCpuAtReset;

  private WorkerSampler(long workerPid) {
    this.workerPid = workerPid;
    this.bootMinusNano = ProcProcess.uptimeSeconds() - System.nanoTime() / 1e9;
    this.thread = new Thread(this::loop, "bench-worker-sampler");
    this.thread.setDaemon(true);
  }

  static WorkerSampler start(long workerPid) {
    var sampler = new WorkerSampler(workerPid);
    sampler.thread.start();
    return sampler;
  }

  /** Forgets what was seen and resets the worker's peak RSS to its current size. */
  synchronized void reset() {
    finished.clear();
    ffmpegPeak = 0;
    workerCpuAtReset = workerCpuTicks();
    ProcProcess.resetPeakRss(workerPid);
  }

  synchronized Observed observed() {
    return new Observed(
        ProcProcess.statusBytes(workerPid, "VmHWM"),
        ffmpegPeak,
        List.copyOf(finished),
        (workerCpuTicks() - workerCpuAtReset) / ProcProcess.TICKS_PER_SECOND);
  }

  private long workerCpuTicks() {
    return ProcProcess.stat(workerPid).map(ProcProcess.Stat::ownCpuTicks).orElse(0L);
  }

  private void loop() {
    long tick = 0;
    while (running) {
      synchronized (this) {
        if (tick++ % DISCOVER_EVERY == 0) {
          discover();
        }
        look();
      }
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void discover() {
    List<Long> tree = ProcProcess.tree(workerPid);
    for (long pid : tree.subList(1, tree.size())) {
      if (!live.containsKey(pid)) {
        ProcProcess.stat(pid)
            .filter(s -> !s.exited())
            .ifPresent(
                s -> {
                  var tracked = new Tracked(pid, s.startTicks(), "");
                  tracked.seen(s);
                  live.put(pid, tracked);
                });
      }
    }
  }

  /** Notes which processes ended, and the memory of those still running. */
  private void look() {
    double now = bootNow();
    for (var it = live.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      Tracked tracked = entry.getValue();
      var stat = ProcProcess.stat(entry.getKey()).filter(s -> s.startTicks() == tracked.startTicks);
      stat.ifPresent(tracked::seen);
      if (stat.isEmpty() || stat.get().exited()) {
        it.remove();
        if (tracked.isFfmpeg()) {
          // It ended at some point since the last look: take the middle.
          finished.add(
              new Run(
                  tracked.command,
                  tracked.startTicks / ProcProcess.TICKS_PER_SECOND,
                  now - TICK_MILLIS / 2000.0,
                  tracked.cpuTicks / ProcProcess.TICKS_PER_SECOND));
        }
      } else if (tracked.isFfmpeg()) {
        ffmpegPeak = Math.max(ffmpegPeak, ProcProcess.statusBytes(entry.getKey(), "VmRSS"));
      }
    }
  }

  private double bootNow() {
    return bootMinusNano + System.nanoTime() / 1e9;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
