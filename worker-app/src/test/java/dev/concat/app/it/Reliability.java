package dev.concat.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numbers a fault test measured, one {@code RELIABILITY scenario=... key=value...} line on
 * stdout and appended to {@code target/reliability.txt}, so the README's table can be filled from
 * the last run. Durations are in seconds.
 */
final class Reliability {

  /** {@code keysAndValues}: name, value, name, value... in the order they are printed. */
  static void record(String scenario, Object... keysAndValues) {
    Map<String, Object> numbers = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      numbers.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    record(scenario, numbers);
  }

  static synchronized void record(String scenario, Map<String, ?> numbers) {
    String line =
        "RELIABILITY scenario="
            + scenario
            + " "
            + numbers.entrySet().stream()
                .map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" "))
            + " at="
            + Instant.now();
    System.out.println(line);
    try {
      Files.writeString(
          ItPaths.reliabilityFile(),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Time elapsed since {@code nanoTime} (a {@link System#nanoTime()} reading). */
  static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static String format(Object value) {
    if (value instanceof Duration duration) {
      return String.format(Locale.ROOT, "%.1f", seconds(duration));
    }
    if (value instanceof Double number) {
      return String.format(Locale.ROOT, "%.3f", number);
    }
    return String.valueOf(value);
  }

  private Reliability() {}
}
