package dev.concat.app.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar redrawn in place. */
final class TerminalProgressView implements ProgressView {
  private final ProgressBar bar;

  TerminalProgressView(PrintStream err, String task) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(0)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUpdateIntervalMillis(250)
            // Counts restart with each phase while the clock does not, so an estimate would
            // mislead.
            .hideEta()
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .build();
  }

  @Override
  public void show(String label, long done, long total) {
    bar.maxHint(total);
    bar.stepTo(done);
    bar.setExtraMessage(label);
  }

  @Override
  public void close() {
    bar.close();
  }
}
