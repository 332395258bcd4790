package dev.concat.activities.chunk;

import java.util.concurrent.Semaphore;

/**
 * The host's cores as chunk encoders take them: one FFmpeg encoder holds one core for one chunk.
 * One pool per worker, so a lone job's chunks run on every core and two jobs' chunks take turns
 * (fairly, in the order they asked) instead of each starting as many encoders as the host has
 * cores.
 */
public final class EncoderCores {
  private final int cores;
  private final Semaphore free;

  public EncoderCores(int cores) {
    if (cores < 1) {
      throw new IllegalArgumentException("at least one core, not " + cores);
    }
    this.cores = cores;
    this.free = new Semaphore(cores, true);
  }

  /** Every core of this host. */
  public static EncoderCores ofHost() {
    return new EncoderCores(Runtime.getRuntime().availableProcessors());
  }

  /** The most encoders one job runs at once: all of them when it is alone. */
  public int cores() {
    return cores;
  }

  /** Waits for a core, which the caller gives back with {@link #release()}. */
  void acquire() throws InterruptedException {
    free.acquire();
  }

  void release() {
    free.release();
  }
}
