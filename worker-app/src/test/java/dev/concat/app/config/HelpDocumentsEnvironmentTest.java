package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The help text is the settings' reference: every variable read must be named next to its flag. */
class HelpDocumentsEnvironmentTest {

  @Test
  void everyEnvironmentBackedOptionNamesItsVariable() {
    List<Object> mixins =
        List.of(
            new TemporalOptions(),
            new S3Options(),
            new WorkerTuning(),
            new FfmpegOptions(),
            new MetricsOptions(),
            new WorkerVersioningOptions(),
            new OutputObjectOptions(),
            new PolicyOptions());
    int checked = 0;
    for (Object mixin : mixins) {
      for (OptionSpec option : new CommandLine(mixin).getCommandSpec().options()) {
        String variable = EnvironmentDefaults.VARIABLES.get(option.longestName());
        if (variable != null) {
          String description = String.join(" ", option.description());
          assertTrue(
              description.contains("Env " + variable), option.longestName() + ": " + description);
          checked++;
        }
      }
    }
    // --work-dir lives on the worker command itself.
    assertTrue(checked == EnvironmentDefaults.VARIABLES.size() - 1, "checked " + checked);
  }
}
