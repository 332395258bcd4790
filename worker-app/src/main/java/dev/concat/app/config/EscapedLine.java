package dev.concat.app.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * logback.xml's {@code %escaped(...)}: the text log line with every control character written
 * as an escape ({@code \n}, {@code \r}, {@code \t}, {@code \\u001b}...), so that a value a client
 * chose (a workflow id in the MDC, a key in a message) can never end the line and forge the next.
 */
public final class EscapedLine extends CompositeConverter<ILoggingEvent> {

  @Override
  protected String transform(ILoggingEvent event, String in) {
    return escape(in);
  }

  static String escape(String in) {
    StringBuilder out = null;
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      String escape = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> isControl(c) ? String.format("\\u%04x", (int) c) : null;
      };
      if (escape != null && out == null) {
        out = new StringBuilder(in.length() + 16).append(in, 0, i);
      }
      if (out != null) {
        out.append(escape != null ? escape : String.valueOf(c));
      }
    }
    return out == null ? in : out.toString();
  }

  /** C0, DEL, C1, and the Unicode line and paragraph separators some viewers break lines at. */
  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
