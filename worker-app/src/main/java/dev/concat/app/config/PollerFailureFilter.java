package dev.concat.app.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Marker;

/**
 * Lets one of the Temporal SDK's poller failure reports through per interval (a minute by default).
 * While Temporal is unreachable each poller thread logs a WARN with a stack trace for every retry,
 * over a hundred in half a minute across a worker's queues; one says the same. The running jobs say
 * for themselves, once each, what the outage did to them.
 */
public final class PollerFailureFilter extends TurboFilter {
  private static final String POLLER = "io.temporal.internal.worker.BasePoller";

  private final AtomicLong nextAllowedNanos = new AtomicLong(System.nanoTime());
  private long intervalMillis = 60_000;

  /** Set from logback.xml: {@code <intervalMillis>60000</intervalMillis>}. */
  public void setIntervalMillis(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (!POLLER.equals(logger.getName()) || level == null || !level.isGreaterOrEqual(Level.WARN)) {
      return FilterReply.NEUTRAL;
    }
    long now = System.nanoTime();
    long next = nextAllowedNanos.get();
    if (now - next >= 0 && nextAllowedNanos.compareAndSet(next, now + intervalMillis * 1_000_000)) {
      return FilterReply.NEUTRAL;
    }
    return FilterReply.DENY;
  }
}
