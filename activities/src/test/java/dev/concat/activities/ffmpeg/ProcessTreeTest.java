package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.testkit.ProcProcess;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Killing a process tree leaves nothing of it running: not the wrapper script's children, which a
 * SIGKILL of the wrapper alone would orphan, and not a child that ignores SIGTERM.
 */
class ProcessTreeTest {
  private Process wrapper;

  @AfterEach
  void killLeftovers() {
    if (wrapper != null) {
      wrapper.descendants().forEach(ProcessHandle::destroyForcibly);
      wrapper.destroyForcibly();
    }
  }

  @Test
  void killNowTakesTheWrappersChildrenWithIt() throws Exception {
    List<ProcessHandle> tree = startWrapper("sleep 60 & sleep 60 & wait");

    ProcessTree.killNow(wrapper.toHandle());

    assertEquals(List.of(), stillRunning(tree), "the whole tree is gone when killNow returns");
  }

  @Test
  void aChildThatIgnoresTermIsKilledAfterTheGrace() throws Exception {
    // An ignored signal stays ignored across exec: the sleeps cannot be stopped by SIGTERM.
    List<ProcessHandle> tree = startWrapper("trap '' TERM; sleep 60 & sleep 60 & wait");

    ProcessTree.kill(wrapper.toHandle(), Duration.ofMillis(300));

    assertEquals(List.of(), stillRunning(tree), "SIGKILL follows the grace");
  }

  /** Starts {@code sh -c script} and waits until its two children run; returns the whole tree. */
  private List<ProcessHandle> startWrapper(String script) throws Exception {
    wrapper = new ProcessBuilder("sh", "-c", script).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (wrapper.children().count() < 2) {
      assertTrue(System.nanoTime() < deadline, "the wrapper started no children");
      Thread.sleep(10);
    }
    return Stream.concat(Stream.of(wrapper.toHandle()), wrapper.descendants()).toList();
  }

  /** The processes of {@code tree} that still run: alive and not zombies awaiting their reaper. */
  private static List<Long> stillRunning(List<ProcessHandle> tree) {
    return tree.stream()
        .map(ProcessHandle::pid)
        .filter(pid -> ProcProcess.stat(pid).map(stat -> !stat.exited()).orElse(false))
        .toList();
  }
}
