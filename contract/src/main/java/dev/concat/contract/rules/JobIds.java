package dev.concat.contract.rules;

import java.util.regex.Pattern;

/** Job ids name workflows and local directories, so they are limited to a safe alphabet. */
public final class JobIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public static boolean isValid(String jobId) {
    return jobId != null && VALID.matcher(jobId).matches() && !jobId.contains("..");
  }

  public static String rule() {
    return "1-128 characters of letters, digits, '.', '_' and '-', starting with a letter or digit, without '..'";
  }

  private JobIds() {}
}
