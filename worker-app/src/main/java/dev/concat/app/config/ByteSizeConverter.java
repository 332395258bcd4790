package dev.concat.app.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads sizes as people write them: {@code 2GiB}, {@code 512MiB}, {@code 10G}, or a bare number of
 * bytes.
 */
public final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|k|ki|kib|m|mi|mib|g|gi|gib|t|ti|tib)");

  @Override
  public Long convert(String text) {
    Matcher size = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!size.matches()) {
      throw new TypeConversionException(
          "'" + text + "' is not a size: use e.g. 2GiB, 512MiB or a number of bytes");
    }
    int shift =
        switch (size.group(2).isEmpty() ? 'b' : size.group(2).charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          case 't' -> 40;
          default -> 0;
        };
    long amount = Long.parseLong(size.group(1));
    if (amount > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + text + "' is too large");
    }
    return amount << shift;
  }
}
