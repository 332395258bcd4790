package dev.concat.app.it;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random worker faults for a bounded time: every few seconds one worker is killed with -9 (and
 * started again later on the same work directory), stopped with SIGSTOP (and continued, sometimes
 * only after its jobs' heartbeat timeout), or sent SIGTERM (and started again once it has exited).
 * Every draw comes from one seeded {@link Random}, so a seed replays the same sequence of choices;
 * what they hit depends on timing too. A fault drawn for a worker that is down goes to the next one
 * up; it is skipped when it would leave no worker up.
 */
final class ChaosLoop {
  enum Fault {
    KILL9,
    SIGSTOP,
    SIGTERM
  }

  /** What the loop did. */
  record Report(Map<Fault, Integer> actions, int skipped, int stopsPastHeartbeat, Duration length) {
    int total() {
      return actions.values().stream().mapToInt(Integer::intValue).sum();
    }

    int count(Fault fault) {
      return actions.getOrDefault(fault, 0);
    }
  }

  private static final long TICK_MILLIS = 100;

  private final WorkerFleet fleet;
  private final Random random;
  private final Duration heartbeatTimeout;

  ChaosLoop(WorkerFleet fleet, long seed, Duration heartbeatTimeout) {
    this.fleet = fleet;
    this.random = new Random(seed);
    this.heartbeatTimeout = heartbeatTimeout;
  }

  /**
   * Runs faults for {@code length}, then returns; workers still down stay down (see {@link
   * WorkerFleet#restoreAll}).
   */
  Report run(Duration length) {
    Map<Fault, Integer> actions = new EnumMap<>(Fault.class);
    int skipped = 0;
    int longStops = 0;
    long started = System.nanoTime();
    long end = started + length.toNanos();
    long next = started + pause().toNanos();
    fleet.log("chaos begins for " + length.toSeconds() + " s");
    while (System.nanoTime() < end) {
      fleet.tick();
      if (System.nanoTime() >= next) {
        // Every draw is made whether or not the fault happens, so the sequence depends on the seed
        // only.
        List<WorkerFleet.Member> members = fleet.members();
        int drawn = random.nextInt(members.size());
        Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
        Duration down = downtime(fault);
        next = System.nanoTime() + pause().toNanos();
        List<WorkerFleet.Member> up = fleet.up();
        if (up.size() < 2) {
          fleet.log(
              "skip " + fault + ": only " + up.size() + " of " + members.size() + " workers up");
          skipped++;
          continue;
        }
        WorkerFleet.Member target = firstUpFrom(members, drawn);
        switch (fault) {
          case KILL9 -> fleet.kill9(target, down);
          case SIGSTOP -> fleet.sigstop(target, down);
          case SIGTERM -> fleet.sigterm(target, down);
        }
        actions.merge(fault, 1, Integer::sum);
        if (fault == Fault.SIGSTOP && down.compareTo(heartbeatTimeout) > 0) {
          longStops++;
        }
      }
      WorkerFleet.pause(TICK_MILLIS);
    }
    fleet.log("chaos ends: " + actions + ", " + skipped + " skipped");
    return new Report(actions, skipped, longStops, Reliability.since(started));
  }

  /** The drawn worker if it is up, else the next one up after it. */
  private static WorkerFleet.Member firstUpFrom(List<WorkerFleet.Member> members, int drawn) {
    for (int i = 0; ; i++) {
      WorkerFleet.Member member = members.get((drawn + i) % members.size());
      if (member.state() == WorkerFleet.State.UP) {
        return member;
      }
    }
  }

  /** 2 to 5 s between faults. */
  private Duration pause() {
    return Duration.ofMillis(2_000 + random.nextInt(3_000));
  }

  /**
   * How long the worker stays down: a stop lasts 1 to 10 s, half the time longer than a 5 s
   * heartbeat timeout, so both a stall that is ridden out and one that is given up on happen; a
   * killed worker is started again 1 to 8 s later, a terminated one 1 to 5 s after it exits.
   */
  private Duration downtime(Fault fault) {
    return switch (fault) {
      case SIGSTOP -> Duration.ofMillis(1_000 + random.nextInt(9_000));
      case KILL9 -> Duration.ofMillis(1_000 + random.nextInt(7_000));
      case SIGTERM -> Duration.ofMillis(1_000 + random.nextInt(4_000));
    };
  }
}
