package dev.concat.app.it;

import dev.concat.testkit.WorkerJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Worker processes that are taken down (kill -9, SIGSTOP, SIGTERM) and brought back on their own
 * work directory (the same host) when due. Everything happens on the calling thread: a worker dies
 * with the thread that started it, so the test thread itself starts every one. Each event is
 * printed with the time; what went wrong on the workers' side (one exiting by itself, one not
 * coming up, a SIGTERM not obeyed within the shutdown grace) is collected as a problem.
 */
final class WorkerFleet implements AutoCloseable {
  /** A worker JVM polls within seconds, even on a busy 2-core machine. */
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  /** The default shutdown grace (10 s) and some slack: longer is a worker ignoring its grace. */
  private static final Duration SIGTERM_EXIT_LIMIT = Duration.ofSeconds(20);

  enum State {
    UP,
    STARTING,
    STOPPED,
    KILLED,
    TERMINATING
  }

  /** One host: a name, its work directory and the worker process currently running on it. */
  static final class Member {
    private final String name;
    private WorkerJvm process;
    private State state = State.UP;
    private long sinceNanos = System.nanoTime();
    private long dueNanos;

    /**
     * After SIGTERM: how long to wait once the worker has exited, and when it did (0 until then).
     */
    private Duration restartDelay = Duration.ZERO;

    private long exitedNanos;

    private Member(String name, WorkerJvm process) {
      this.name = name;
      this.process = process;
    }

    String name() {
      return name;
    }

    Path workDir() {
      return process.workDir();
    }

    State state() {
      return state;
    }

    @Override
    public String toString() {
      return name + " (pid " + process.pid() + ", " + state + ")";
    }
  }

  private final RealStack stack;
  private final Map<String, String> env;
  private final long originNanos;
  private final List<Member> members = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final List<WorkerJvm> started = new ArrayList<>();
  private Duration longestSigtermExit = Duration.ZERO;
  private int restarts;

  private WorkerFleet(RealStack stack, Map<String, String> env, long originNanos) {
    this.stack = stack;
    this.env = Map.copyOf(env);
    this.originNanos = originNanos;
  }

  /** Starts one worker per name, each on its own work directory, and waits until all poll. */
  static WorkerFleet start(RealStack stack, List<String> names, Map<String, String> env) {
    var fleet = new WorkerFleet(stack, env, System.nanoTime());
    for (String name : names) {
      WorkerJvm worker = stack.startWorker(name, env);
      fleet.started.add(worker);
      fleet.members.add(new Member(name, worker));
      fleet.log("worker " + name + " running as " + worker.identity() + " in " + worker.workDir());
    }
    return fleet;
  }

  List<Member> members() {
    return List.copyOf(members);
  }

  List<Member> up() {
    return members.stream().filter(m -> m.state == State.UP).toList();
  }

  void kill9(Member member, Duration restartAfter) {
    requireUp(member);
    member.process.kill9();
    enter(member, State.KILLED, restartAfter);
    log(
        "kill -9 "
            + member.name
            + " (pid "
            + member.process.pid()
            + "); restart in "
            + seconds(restartAfter));
  }

  void sigstop(Member member, Duration contAfter) {
    requireUp(member);
    member.process.sigstop();
    enter(member, State.STOPPED, contAfter);
    log(
        "SIGSTOP "
            + member.name
            + " (pid "
            + member.process.pid()
            + "); SIGCONT in "
            + seconds(contAfter));
  }

  /**
   * SIGTERM, as a deploy sends it; the worker starts again {@code restartAfter} after it has
   * exited.
   */
  void sigterm(Member member, Duration restartAfter) {
    requireUp(member);
    member.process.sigterm();
    enter(member, State.TERMINATING, Duration.ZERO);
    member.restartDelay = restartAfter;
    member.exitedNanos = 0;
    log(
        "SIGTERM "
            + member.name
            + " (pid "
            + member.process.pid()
            + "); restart "
            + seconds(restartAfter)
            + " after it exits");
  }

  /** Brings back every worker whose time has come, and notices workers that died by themselves. */
  void tick() {
    long now = System.nanoTime();
    for (Member member : members) {
      switch (member.state) {
        case UP -> {
          if (!member.process.isAlive()) {
            problem(
                "worker "
                    + member.name
                    + " (pid "
                    + member.process.pid()
                    + ") exited by itself with code "
                    + member.process.exitCode()
                    + "; log "
                    + member.process.log());
            restart(member);
          }
        }
        case STOPPED -> {
          if (now >= member.dueNanos) {
            member.process.sigcont();
            log(
                "SIGCONT "
                    + member.name
                    + " (pid "
                    + member.process.pid()
                    + ") after "
                    + seconds(Reliability.since(member.sinceNanos)));
            enter(member, State.UP, Duration.ZERO);
          }
        }
        case KILLED -> {
          if (now >= member.dueNanos) {
            restart(member);
          }
        }
        case TERMINATING -> terminating(member, now);
        case STARTING -> starting(member);
      }
    }
  }

  private void terminating(Member member, long now) {
    Duration waited = Reliability.since(member.sinceNanos);
    if (member.process.isAlive()) {
      if (waited.compareTo(SIGTERM_EXIT_LIMIT) > 0) {
        problem(
            "worker "
                + member.name
                + " (pid "
                + member.process.pid()
                + ") still running "
                + seconds(waited)
                + " after SIGTERM (shutdown grace 10 s); killed; log "
                + member.process.log());
        member.process.kill9();
        enter(member, State.KILLED, Duration.ZERO);
      }
      return;
    }
    if (member.exitedNanos == 0) {
      member.exitedNanos = now;
      if (waited.compareTo(longestSigtermExit) > 0) {
        longestSigtermExit = waited;
      }
      log(
          "worker "
              + member.name
              + " exited "
              + seconds(waited)
              + " after SIGTERM with code "
              + member.process.exitCode());
    }
    if (now - member.exitedNanos >= member.restartDelay.toNanos()) {
      restart(member);
    }
  }

  private void starting(Member member) {
    if (!member.process.isAlive()) {
      problem(
          "worker "
              + member.name
              + " (pid "
              + member.process.pid()
              + ") died while starting, code "
              + member.process.exitCode()
              + "; log "
              + member.process.log());
      restart(member);
    } else if (isRunning(member.process)) {
      log(
          "worker "
              + member.name
              + " running again as "
              + member.process.identity()
              + " ("
              + seconds(Reliability.since(member.sinceNanos))
              + " to start)");
      enter(member, State.UP, Duration.ZERO);
    } else if (Reliability.since(member.sinceNanos).compareTo(START_LIMIT) > 0) {
      problem(
          "worker "
              + member.name
              + " (pid "
              + member.process.pid()
              + ") not running "
              + START_LIMIT.toSeconds()
              + " s after its start; log "
              + member.process.log());
      member.process.kill9();
      restart(member);
    }
  }

  private static boolean isRunning(WorkerJvm worker) {
    try {
      worker.identity();
      return true;
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  private void restart(Member member) {
    WorkerJvm previous = member.process;
    member.process = stack.environment().startWorker(previous.name(), previous.workDir(), env);
    started.add(member.process);
    restarts++;
    enter(member, State.STARTING, Duration.ZERO);
    log(
        "starting "
            + member.name
            + " again on "
            + previous.workDir().getFileName()
            + " (pid "
            + member.process.pid()
            + ")");
  }

  /**
   * Ends all chaos: continues stopped workers, starts dead ones at once, and waits until every
   * worker polls again. Fails after {@code limit}.
   */
  void restoreAll(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Member member : members) {
      member.dueNanos = System.nanoTime();
      member.restartDelay = Duration.ZERO;
    }
    while (up().size() < members.size()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "workers not all running "
                + limit.toSeconds()
                + " s after the chaos ended: "
                + members);
      }
      tick();
      pause(100);
    }
    log("all " + members.size() + " workers running");
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  int restarts() {
    return restarts;
  }

  Duration longestSigtermExit() {
    return longestSigtermExit;
  }

  void log(String message) {
    System.out.printf(
        Locale.ROOT,
        "[soak %s +%6.1fs] %s%n",
        Instant.now(),
        Reliability.seconds(Reliability.since(originNanos)),
        message);
  }

  /** Kills every worker process this fleet started, and whatever they started. */
  @Override
  public void close() {
    started.forEach(WorkerJvm::close);
  }

  private void enter(Member member, State state, Duration due) {
    member.state = state;
    member.sinceNanos = System.nanoTime();
    member.dueNanos = member.sinceNanos + due.toNanos();
  }

  private void problem(String message) {
    problems.add(message);
    log("PROBLEM " + message);
  }

  private static void requireUp(Member member) {
    if (member.state != State.UP) {
      throw new IllegalStateException(member + " is not up");
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", Reliability.seconds(duration));
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
