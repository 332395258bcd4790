package dev.concat.activities.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A wrapper script that runs the real FFmpeg reading its input at playing speed ({@code -re}), so a
 * test has seconds to cancel, stop or kill it mid-run. The script does not exec FFmpeg but starts
 * it as a child, as vendor wrappers do: killing only the script would leave FFmpeg behind.
 */
public final class SlowFfmpeg {

  public static Path script(Path dir) {
    Path script = dir.resolve("slow-ffmpeg.sh");
    try {
      Files.createDirectories(dir);
      Files.writeString(script, "#!/bin/sh\nffmpeg -re \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return script;
  }

  private SlowFfmpeg() {}
}
