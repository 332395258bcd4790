package dev.concat.app.progress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * While a live bar is drawn on a terminal, concat's INFO lines (which would cut through the bar)
 * are hidden; warnings still show, and CONCAT_LOG_LEVEL, when set, is left alone.
 */
public final class BarFriendlyLogging {
  private BarFriendlyLogging() {}

  public static void apply(boolean terminal, Map<String, String> environment) {
    if (terminal && !environment.containsKey("CONCAT_LOG_LEVEL")) {
      ((Logger) LoggerFactory.getLogger("dev.concat")).setLevel(Level.WARN);
    }
  }
}
