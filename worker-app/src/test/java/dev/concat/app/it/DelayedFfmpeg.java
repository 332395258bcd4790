package dev.concat.app.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * FFmpeg behind a shell script that first waits when its arguments match a pattern: a test's way to
 * hold one kind of FFmpeg run (chunk encoders, output meters) long enough to act while it runs.
 */
final class DelayedFfmpeg {
  /**
   * Writes the script to {@code dir}, named {@code name}; FFmpeg runs waiting {@code seconds} (a
   * sleep(1) argument) first when its arguments, joined by spaces, match the shell {@code case}
   * pattern {@code argsPattern}.
   */
  static Path script(Path dir, String name, String argsPattern, String seconds) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(
        script,
        "#!/bin/sh\ncase \"$*\" in\n  "
            + argsPattern
            + ") sleep "
            + seconds
            + " ;;\nesac\nffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private DelayedFfmpeg() {}
}
