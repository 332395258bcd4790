package dev.concat.activities.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a program or privilege it needs is missing: skips loudly on a developer's
 * machine, fails under CI (or when {@code -D<requireProperty>=true}), so a CI run cannot pass by
 * testing nothing.
 */
public final class MissingPrerequisite {

  /**
   * Skips the calling test, or throws when it must not be skipped; never returns normally.
   *
   * @param requireProperty a system property that also forbids skipping, or null
   * @return nothing: declared so callers can write {@code throw skipOrFail(...)}
   */
  public static AssertionError skipOrFail(String message, String requireProperty) {
    boolean required = requireProperty != null && Boolean.getBoolean(requireProperty);
    if (System.getenv("CI") != null || required) {
      throw new IllegalStateException(
          message
              + (requireProperty == null
                  ? " (CI is set: not skipping.)"
                  : " (CI is set or -D" + requireProperty + "=true: not skipping.)"));
    }
    System.err.println("\n*** SKIPPED: " + message + " ***\n");
    Assumptions.abort(message);
    return new AssertionError("unreachable");
  }

  private MissingPrerequisite() {}
}
