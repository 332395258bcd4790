package dev.concat.activities.loudness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Prints what the true peak costs per million samples, filtered a sample at a time as before
 * ({@link PerSampleTruePeak}) and a block at a time ({@link TruePeak}), side by side, on a sine
 * near full scale (every sample near the peak, so nothing is skipped) and on white noise, mono and
 * stereo, 2 minutes at 44.1 kHz in memory. A program, not a test: {@code java -cp ...
 * TruePeakBenchmark [rounds]}; the last of the rounds is the one to read.
 */
public final class TruePeakBenchmark {
  private static final int RATE = 44_100;
  private static final int SECONDS = 120;

  /** Frames per call, as the decoder's reader hands them to the meter. */
  private static final int BATCH = 8192;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    for (int round = 1; round <= rounds; round++) {
      System.out.printf("round %d of %d: CPU ns per sample (= ms per million)%n", round, rounds);
      for (int channels = 1; channels <= 2; channels++) {
        measure("sine", sine(channels), channels);
        measure("white noise", noise(channels), channels);
      }
    }
  }

  private static void measure(String signal, float[] interleaved, int channels) {
    int frames = interleaved.length / channels;
    long start = THREADS.getCurrentThreadCpuTime();
    double before = 0;
    for (int c = 0; c < channels; c++) {
      var meter = new PerSampleTruePeak();
      for (int f = 0; f < frames; f++) {
        meter.add(interleaved[f * channels + c]);
      }
      for (int i = 0; i < TruePeak.DELAY; i++) {
        meter.add(0);
      }
      before = Math.max(before, meter.peak());
    }
    double beforeNanos = (THREADS.getCurrentThreadCpuTime() - start) / (double) interleaved.length;
    start = THREADS.getCurrentThreadCpuTime();
    double after = blockPeak(interleaved, channels, frames);
    double afterNanos = (THREADS.getCurrentThreadCpuTime() - start) / (double) interleaved.length;
    System.out.printf(
        "  %-12s %-6s per sample %6.2f, blocks %6.2f, %4.1fx; peaks %.6f and %.6f, differ by %.1e%n",
        signal,
        channels == 1 ? "mono" : "stereo",
        beforeNanos,
        afterNanos,
        beforeNanos / afterNanos,
        before,
        after,
        Math.abs(after - before) / before);
  }

  private static double blockPeak(float[] interleaved, int channels, int frames) {
    TruePeak[] meters = new TruePeak[channels];
    for (int c = 0; c < channels; c++) {
      meters[c] = new TruePeak(0, Long.MAX_VALUE / 2);
    }
    float[] batch = new float[BATCH * channels];
    for (int f = 0; f < frames; f += BATCH) {
      int count = Math.min(BATCH, frames - f);
      System.arraycopy(interleaved, f * channels, batch, 0, count * channels);
      for (int c = 0; c < channels; c++) {
        meters[c].add(batch, c, channels, count);
      }
    }
    double peak = 0;
    for (TruePeak meter : meters) {
      meter.finish();
      peak = Math.max(peak, meter.peak());
    }
    return peak;
  }

  private static float[] sine(int channels) {
    float[] samples = new float[RATE * SECONDS * channels];
    for (int i = 0; i < samples.length; i++) {
      samples[i] =
          (float) (0.95 * Math.sin(2 * Math.PI * 997.0 * (i / channels) / RATE + i % channels));
    }
    return samples;
  }

  private static float[] noise(int channels) {
    Random random = new Random(1);
    float[] samples = new float[RATE * SECONDS * channels];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = 0.9f * (2 * random.nextFloat() - 1);
    }
    return samples;
  }

  private TruePeakBenchmark() {}
}
