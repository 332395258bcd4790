package dev.concat.activities.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted at a directory, for a work directory whose disk really fills up ("No space
 * left on device" from the kernel, not a simulated one). Needs root (or sudo without a password);
 * without it the test is skipped, except under CI, where it fails. Unmounted on {@link #close()}.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (for example {@code 8m}) at {@code dir}, created if needed. */
  public static Tmpfs mount(Path dir, String size) {
    return mountWith(dir, "size=" + size);
  }

  /** Mounts a read-only tmpfs at {@code dir}: every write fails with "Read-only file system". */
  public static Tmpfs mountReadOnly(Path dir) {
    return mountWith(dir, "ro,size=1m");
  }

  private static Tmpfs mountWith(Path dir, String options) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir, e);
    }
    List<String> mount = List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    Result result = run(mount);
    if (result.exit() != 0) {
      // Not root: CI machines often allow it through sudo without a password.
      result = run(sudo(mount));
    }
    if (result.exit() != 0) {
      String why = "cannot mount a tmpfs at " + dir + " (needs root): " + result.output();
      throw MissingPrerequisite.skipOrFail(why, null);
    }
    return new Tmpfs(dir);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    for (List<String> umount :
        List.of(
            List.of("umount", dir.toString()),
            sudo(List.of("umount", dir.toString())),
            // Still busy (a worker being stopped): detach it now, the kernel frees it when unused.
            List.of("umount", "-l", dir.toString()),
            sudo(List.of("umount", "-l", dir.toString())))) {
      if (run(umount).exit() == 0) {
        return;
      }
    }
  }

  private static List<String> sudo(List<String> command) {
    List<String> withSudo = new ArrayList<>(List.of("sudo", "-n"));
    withSudo.addAll(command);
    return withSudo;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish in 20 s");
      }
      return new Result(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
