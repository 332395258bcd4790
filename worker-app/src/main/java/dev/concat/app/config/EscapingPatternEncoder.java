package dev.concat.app.config;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The text log's encoder: the pattern's line with every control character written as an escape
 * ({@code \n}, {@code \r}, {@code \t}, {@code \\u001b}...), then one line separator, so that a
 * value a client chose (a workflow id in the MDC, a key in a message) can never end the line and
 * forge the next, nor reach a terminal as an escape sequence.
 */
public final class EscapingPatternEncoder extends PatternLayoutEncoder {

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = getLayout().doLayout(event);
    String separator = System.lineSeparator();
    String body =
        line.endsWith(separator) ? line.substring(0, line.length() - separator.length()) : line;
    Charset charset = getCharset() == null ? StandardCharsets.UTF_8 : getCharset();
    return (escape(body) + separator).getBytes(charset);
  }

  static String escape(String in) {
    StringBuilder out = null;
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      String escape =
          switch (c) {
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
