package dev.concat.app.config;

import ch.qos.logback.core.PropertyDefinerBase;
import ch.qos.logback.core.util.OptionHelper;
import java.util.Locale;

/**
 * Names the appender logback.xml logs to, from CONCAT_LOG_FORMAT: {@code json}, or {@code text} for
 * anything else. Logback resolves an unknown appender name to no output at all, so a typo here must
 * not reach it.
 */
public final class LogFormat extends PropertyDefinerBase {
  public static final String VARIABLE = "CONCAT_LOG_FORMAT";

  @Override
  public String getPropertyValue() {
    // The logger context's properties, then system properties, then the environment.
    String format = OptionHelper.propertyLookup(VARIABLE, getContext(), null);
    return format != null && format.strip().toLowerCase(Locale.ROOT).equals("json")
        ? "json"
        : "text";
  }
}
