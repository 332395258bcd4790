package dev.concat.activities.loudness;

import java.util.Arrays;

/**
 * Measures one chunk's decoded samples as they arrive: K-weights every channel, sums the weighted
 * energy per 100 ms step of the programme's timeline (step s covers [s * hop, (s + 1) * hop)), and
 * when a step completes inside the chunk's owned span, takes the 400 ms block and the 3 s window
 * that end with it; alongside, the true peak of the owned samples.
 */
final class ChunkMeasurement {
  static final int BLOCK_STEPS = 4;
  private static final int SHORT_TERM_STEPS = 30;

  private final ChunkSpan span;
  private final int channels;

  /** Samples per step; like FFmpeg's meter, a tenth of the rate rounded down. */
  private final int hop;

  private final double[] weights;
  private final KWeighting[] filters;

  /** Each channel's K-weighted samples of the frames being added, at most a step's. */
  private final double[][] weighted;

  private final TruePeak[] peaks;

  /** The energy of the last {@link #SHORT_TERM_STEPS} steps, by step index modulo their count. */
  private final double[] steps = new double[SHORT_TERM_STEPS];

  /** The first step the chunk's file holds from its start. */
  private final long firstWholeStep;

  private final DoubleList blocks = new DoubleList();
  private final DoubleList shortTerm = new DoubleList();
  private boolean shortTermIncomplete;
  private long next;
  private double stepEnergy;

  ChunkMeasurement(int sampleRate, int channels, ChunkSpan span) {
    this.span = span;
    this.channels = channels;
    this.hop = sampleRate / 10;
    this.weights = ChannelWeights.of(channels);
    this.filters = new KWeighting[channels];
    this.peaks = new TruePeak[channels];
    this.weighted = new double[channels][hop];
    for (int c = 0; c < channels; c++) {
      filters[c] = new KWeighting(sampleRate);
      peaks[c] = new TruePeak(peakCountedFrom(span), span.ownedEnd() - span.decodedStart());
    }
    this.firstWholeStep = (span.decodedStart() + hop - 1) / hop;
    this.next = span.decodedStart();
  }

  /** Adds {@code frames} sample frames of interleaved samples, continuing the chunk's file. */
  void add(float[] interleaved, int frames) {
    for (int c = 0; c < channels; c++) {
      peaks[c].add(interleaved, c, channels, frames);
    }
    for (int f = 0; f < frames; ) {
      // Up to the end of the step the next sample falls in.
      int run = (int) Math.min(frames - f, hop - next % hop);
      weigh(interleaved, f, run);
      f += run;
      next += run;
      if (next % hop == 0) {
        completeStep(next / hop - 1, next - 1);
      }
    }
  }

  /**
   * Adds the weighted energy of {@code frames} frames from frame {@code first} to the step's, frame
   * by frame and channel by channel: the order in which every chunk adds them, so that a step reads
   * the same to the bit in whichever chunk measures it.
   */
  private void weigh(float[] interleaved, int first, int frames) {
    for (int c = 0; c < channels; c++) {
      filters[c].apply(interleaved, first * channels + c, channels, frames, weighted[c]);
    }
    double sum = stepEnergy;
    for (int f = 0; f < frames; f++) {
      double energy = 0;
      for (int c = 0; c < channels; c++) {
        double sample = weighted[c][f];
        energy += weights[c] * sample * sample;
      }
      sum += energy;
    }
    stepEnergy = sum;
  }

  /** The chunk's measurement, once its file has been read to the end. */
  ChunkLoudness finish() {
    if (!span.openEnded() && next < span.ownedEnd()) {
      throw new IllegalArgumentException(
          "the chunk's audio ends at sample " + next + ", before the end of its span " + span);
    }
    for (TruePeak channelPeak : peaks) {
      channelPeak.finish();
    }
    long firstBlock = Math.max(0, span.ownedStart() / hop - (BLOCK_STEPS - 1));
    double peak = Arrays.stream(peaks).mapToDouble(TruePeak::peak).max().orElse(0);
    var gatingBlocks =
        new GatingBlocks(
            firstBlock,
            blocks.size(),
            LoudnessHistogram.of(blocks.toArray()),
            shortTermIncomplete ? null : LoudnessHistogram.of(shortTerm.toArray()));
    return new ChunkLoudness(gatingBlocks, peak);
  }

  /**
   * The first sample of the file whose true-peak points count: the first it owns, once the filter's
   * reach holds only the file's samples (or the silence before the programme).
   */
  private static long peakCountedFrom(ChunkSpan span) {
    long owned = span.ownedStart() - span.decodedStart();
    return span.decodedStart() == 0 ? owned : Math.max(owned, TruePeak.SPAN - 1 - TruePeak.DELAY);
  }

  /** Closes step {@code step}, whose last sample is {@code lastSample}. */
  private void completeStep(long step, long lastSample) {
    steps[(int) (step % SHORT_TERM_STEPS)] = stepEnergy;
    stepEnergy = 0;
    if (!span.owns(lastSample)) {
      return;
    }
    long block = step - (BLOCK_STEPS - 1);
    if (block >= 0) {
      if (block < firstWholeStep) {
        throw new IllegalArgumentException(
            "the chunk's pre-roll is too short for gating block "
                + block
                + ", which ends in its span "
                + span);
      }
      blocks.add(sumOfSteps(step, BLOCK_STEPS) / (BLOCK_STEPS * (double) hop));
    }
    long window = step - (SHORT_TERM_STEPS - 1);
    if (window >= 0) {
      shortTermIncomplete |= window < firstWholeStep;
      shortTerm.add(sumOfSteps(step, SHORT_TERM_STEPS) / (SHORT_TERM_STEPS * (double) hop));
    }
  }

  private double sumOfSteps(long lastStep, int count) {
    double sum = 0;
    for (long s = lastStep - count + 1; s <= lastStep; s++) {
      sum += steps[(int) (s % SHORT_TERM_STEPS)];
    }
    return sum;
  }

  /** A growable list of doubles: an hour holds 36,000 blocks. */
  private static final class DoubleList {
    private double[] values = new double[1024];
    private int size;

    void add(double value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
