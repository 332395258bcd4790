package dev.concat.app.config;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** When a host spreads its chunked joins over the workers polling the chunk queue. */
public enum ChunkSpread {
  /** When another worker polled the chunk queue lately; else on the host's own cores. */
  AUTO,
  /** Always, even when this worker is the only one to encode them. */
  ALWAYS,
  /** Never: on the host's own cores. */
  NEVER;

  /** {@code auto}, {@code true} or {@code false}, as the flag and its variable are written. */
  public static final class Parser implements ITypeConverter<ChunkSpread> {
    @Override
    public ChunkSpread convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "true" -> ALWAYS;
        case "false" -> NEVER;
        default -> throw new TypeConversionException("auto, true or false, not '" + value + "'");
      };
    }
  }
}
