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
  void theProgramDiesWhenTheThreadThatStartedItExits() throws Exception {
    assertDiesWithItsStarter(List.of("sleep", "30"));
  }

  @Test
  void aWrappersChildDiesWithTheStartingThreadToo() throws Exception {
    // A vendor wrapper: runs the real program as its child instead of exec'ing it.
    assertDiesWithItsStarter(List.of("sh", "-c", "sleep 31 & wait"));
  }

  /**
   * Starts {@code command} from a thread that then exits, as an activity thread would if its worker
   * were killed with -9, and checks that the sleep it runs dies: nothing here kills it.
   */
  private static void assertDiesWithItsStarter(List<String> command) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (Linux)");
    var launcher = new ProcessLauncher(Map.of());
    var root = new AtomicReference<ProcessHandle>();
    var sleep = new AtomicReference<ProcessHandle>();
    Thread starter =
        new Thread(
            () -> {
              try {
                ProcessHandle started = launcher.start(command).toHandle();
                root.set(started);
                // Stay until the program runs: setpriv arms the signal just before it execs, and a
                // thread gone before that leaves the guard unarmed.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (sleep.get() == null && System.nanoTime() < deadline) {
                  started
                      .descendants()
                      .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
                      .findFirst()
                      .ifPresent(sleep::set);
                  Thread.sleep(5);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    starter.start();
    starter.join();

    assertTrue(sleep.get() != null, "the program never started under " + root.get());
    sleep.get().onExit().get(5, TimeUnit.SECONDS);
    root.get().onExit().get(5, TimeUnit.SECONDS);
  }

  @Test
  void passesExitStatusAndOutputThrough() throws Exception {
    var launcher = new ProcessLauncher(Map.of());
    Process process = launcher.start(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
    assertEquals(
        "out", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    assertEquals(
        "err", new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    assertEquals(3, process.waitFor());
  }

  @Test
  void passesTheConfiguredEnvironment() throws Exception {
    var launcher = new ProcessLauncher(Map.of("CONCAT_PROBE", "bundled-build"));
    Process process = launcher.start(List.of("sh", "-c", "echo $CONCAT_PROBE"));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, process.waitFor());
    assertEquals("bundled-build", out);
  }

  @Test
  void theCommandSeesOnlyThePassedThroughAndConfiguredVariables() throws Exception {
    // The worker's own environment holds its secrets (AWS keys, a Temporal API key): none may reach
    // FFmpeg.
    assertTrue(
        System.getenv().keySet().stream()
            .anyMatch(name -> !ProcessLauncher.PASSED_THROUGH.contains(name)),
        "this JVM has variables beyond the passed-through ones");
    var launcher = new ProcessLauncher(Map.of("CONCAT_PROBE", "bundled-build"));
    Process process = launcher.start(List.of("env"));
    List<String> names =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .map(line -> line.substring(0, line.indexOf('=')))
            .toList();
    assertEquals(0, process.waitFor());

    for (String name : names) {
      // PWD and SHLVL are the guard shell's own; no other variable may appear.
      assertTrue(
          ProcessLauncher.PASSED_THROUGH.contains(name)
              || List.of("CONCAT_PROBE", "PWD", "SHLVL", "_").contains(name),
          "passed to the command: " + name);
    }
    assertTrue(names.contains("PATH") && names.contains("CONCAT_PROBE"), names.toString());
  }

  @Test
  void theCommandRunsUnderTheMemoryCeiling() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/prlimit")), "needs prlimit (util-linux)");
    var launcher = new ProcessLauncher(Map.of(), ProcessLauncher.MIN_MEMORY);
    Process process = launcher.start(List.of("sh", "-c", "ulimit -v"));
    String limit =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, process.waitFor());

    // ulimit -v reports the address-space limit in KiB.
    assertEquals(String.valueOf(ProcessLauncher.MIN_MEMORY / 1024), limit);
  }
}
