package dev.concat.app.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people write them: {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, a bare
 * number of seconds, or ISO-8601.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String text) {
    return parse(text);
  }

  public static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher simple = SIMPLE.matcher(value);
    if (simple.matches()) {
      double amount = Double.parseDouble(simple.group(1));
      String unit = simple.group(2) == null ? "s" : simple.group(2);
      double millis =
          switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1_000;
          };
      return Duration.ofMillis(Math.round(millis));
    }
    try {
      return Duration.parse(text.strip());
    } catch (RuntimeException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration: use e.g. 10s, 500ms, 2m or 1h");
    }
  }
}
