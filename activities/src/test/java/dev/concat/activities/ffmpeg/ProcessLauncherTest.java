package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcessLauncherTest {

  @Test
  void childDiesWhenTheThreadThatStartedItExits() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (Linux)");
    var launcher = new ProcessLauncher(Map.of());
    var child = new AtomicReference<ProcessHandle>();
    Thread starter = new Thread(() -> {
      try {
        ProcessHandle sleep = launcher.start(List.of("sleep", "30")).toHandle();
        child.set(sleep);
        // As an activity thread does, stay until the child runs: setpriv arms the signal just
        // before it execs, and a thread gone before that leaves the child unarmed.
        while (!sleep.info().command().orElse("").endsWith("/sleep")) {
          Thread.sleep(5);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    starter.start();
    starter.join();

    // The kernel's parent-death signal stands in for a worker killed with -9: nothing here kills it.
    child.get().onExit().get(5, TimeUnit.SECONDS);
    assertTrue(!child.get().isAlive());
  }

  @Test
  void passesTheConfiguredEnvironment() throws Exception {
    var launcher = new ProcessLauncher(Map.of("CONCAT_PROBE", "bundled-build"));
    Process process = launcher.start(List.of("sh", "-c", "echo $CONCAT_PROBE"));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, process.waitFor());
    assertEquals("bundled-build", out);
  }
}
