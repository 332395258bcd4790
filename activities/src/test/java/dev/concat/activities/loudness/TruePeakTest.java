package dev.concat.activities.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The block-wise true peak equals a plain point-by-point oversampler in doubles ({@link
 * PlainTruePeak}) to float rounding, whatever the signal, however the samples arrive and wherever
 * the counted samples start and end against the blocks.
 */
class TruePeakTest {
  private static final int BLOCK = TruePeak.BLOCK;
  private static final int REACH = TruePeak.SPAN + TruePeak.DELAY;

  /**
   * The meter filters in floats, the plain one in doubles: a point's float sum lies within 3e-6 of
   * its magnitudes' sum, which near the peak is at most twice the point.
   */
  private static final double FLOAT_ROUNDING = 1e-5;

  @Test
  void aSineNearFullScaleWithPeaksBetweenItsSamples() {
    float[] sine = new float[5 * BLOCK + 77];
    for (int n = 0; n < sine.length; n++) {
      sine[n] = (float) (0.98 * Math.sin(2 * Math.PI * 0.2297 * n + 0.3));
    }
    double peak = assertSamePeak(sine, 0, sine.length, 4096);
    assertTrue(peak > 0.98, "the interpolated points reach the sine's crest: " + peak);
  }

  @Test
  void whiteNoiseCountedFromAndToTheMiddleOfBlocks() {
    float[] noise = noise(new Random(7), 9 * BLOCK);
    assertSamePeak(noise, 0, noise.length, 8192);
    assertSamePeak(noise, BLOCK + 177, 6 * BLOCK + 301, 8192);
    assertSamePeak(noise, 3, 4, 1000);
  }

  @Test
  void noiseFallingAndRisingAgainSoThatBlocksAreSkippedAndThenFilteredAgain() {
    float[] noise = noise(new Random(11), 12 * BLOCK);
    for (int n = 0; n < noise.length; n++) {
      noise[n] *= (float) Math.abs(Math.cos(Math.PI * n / noise.length));
    }
    // A lone loud sample in a quiet stretch: its block must be filtered although the blocks
    // around it are skipped.
    noise[noise.length / 2 + 3] = 0.999f;
    assertSamePeak(noise, 0, noise.length, 8192);
    assertSamePeak(noise, 0, noise.length, 300);
  }

  /**
   * After a peak of 1.0, samples only just loud enough to raise it, signed as the weights of the
   * phase of the largest gain: their point, 0.2 % above the peak, is not skipped.
   */
  @Test
  void samplesJustLoudEnoughToRaiseThePeak() {
    double[] taps = PlainTruePeak.taps();
    double gain = 0;
    for (int i = 0; i < TruePeak.SPAN - 1; i++) {
      gain += Math.abs(taps[2 + 4 * i]);
    }
    float[] audio = impulse(3 * BLOCK, 100);
    audio[100] = 1;
    int newest = BLOCK + 100;
    for (int i = 0; i < TruePeak.SPAN - 1; i++) {
      audio[newest - i] = (float) (Math.signum(taps[2 + 4 * i]) * 1.002 / gain);
    }
    double peak = assertSamePeak(audio, 0, audio.length, 8192);
    assertTrue(peak > 1.0019, "the point raises the peak: " + peak);
  }

  /**
   * The hardest point for the skip: after a peak of 1.0, samples each just quiet enough not to
   * raise it, signed as the weights of the phase of the largest gain, and one louder sample in the
   * phase's oldest tap, whose weight is -0.00077: that point alone exceeds the peak.
   */
  @Test
  void aPointThatOnlyItsOldestSampleRaisesAboveThePeak() {
    double[] taps = PlainTruePeak.taps();
    float[] audio = impulse(3 * BLOCK, 100);
    audio[100] = 1;
    audio[BLOCK + 10] = 0.5f;
    int newest = BLOCK + 100;
    for (int i = 0; i < TruePeak.SPAN - 1; i++) {
      float magnitude = i < TruePeak.SPAN - 2 ? 0.43514f : 0.6f;
      audio[newest - i] = (float) Math.signum(taps[2 + 4 * i]) * magnitude;
    }
    double peak = assertSamePeak(audio, 0, audio.length, 8192);
    assertTrue(peak > 1.0001, "the point raises the peak: " + peak);
  }

  @Test
  void anImpulseAtEveryOffsetAroundBlockBoundaries() {
    for (int boundary : new int[] {BLOCK, 3 * BLOCK}) {
      for (int at = boundary - REACH - 2; at <= boundary + REACH + 2; at++) {
        assertSamePeak(impulse(4 * BLOCK, at), 0, 4 * BLOCK, 1000);
      }
    }
  }

  @Test
  void anImpulseAtEveryOffsetAroundTheEdgesOfTheCountedSamples() {
    int from = BLOCK + 200;
    int to = 3 * BLOCK - 100;
    for (int edge : new int[] {from, to}) {
      for (int at = edge - REACH - 2; at <= edge + REACH + 2; at++) {
        double peak = assertSamePeak(impulse(4 * BLOCK, at), from, to, 700);
        if (at >= from && at < to) {
          assertEquals(0.9, peak, 1e-6, "an owned impulse is its own peak");
        }
      }
    }
  }

  @Test
  void anImpulseAtEveryOffsetNearTheEndOfTheAudio() {
    int length = 2 * BLOCK + 5;
    for (int at = length - REACH - 2; at < length; at++) {
      double peak = assertSamePeak(impulse(length, at), 0, length, 8192);
      assertEquals(0.9, peak, 1e-6, "the silence after the audio completes its last points");
    }
  }

  @Test
  void samplesArrivingInTinyBatches() {
    float[] noise = noise(new Random(3), 3 * BLOCK + 10);
    for (int batch : new int[] {1, 2, TruePeak.SPAN - 1, BLOCK - 1, BLOCK + 1}) {
      assertSamePeak(noise, 100, noise.length - 50, batch);
    }
  }

  @Test
  void eachChannelOfInterleavedAudio() {
    float[] left = noise(new Random(5), 2 * BLOCK);
    float[] right = impulse(2 * BLOCK, BLOCK - 3);
    float[] interleaved = new float[2 * left.length];
    for (int n = 0; n < left.length; n++) {
      interleaved[2 * n] = left[n];
      interleaved[2 * n + 1] = right[n];
    }
    TruePeak leftPeak = new TruePeak(0, left.length);
    TruePeak rightPeak = new TruePeak(0, left.length);
    for (int frame = 0; frame < left.length; frame += 333) {
      int frames = Math.min(333, left.length - frame);
      float[] batch = new float[2 * frames];
      System.arraycopy(interleaved, 2 * frame, batch, 0, batch.length);
      leftPeak.add(batch, 0, 2, frames);
      rightPeak.add(batch, 1, 2, frames);
    }
    leftPeak.finish();
    rightPeak.finish();
    double plain = PlainTruePeak.of(left, 0, left.length);
    assertEquals(plain, leftPeak.peak(), FLOAT_ROUNDING * plain);
    assertEquals(0.9, rightPeak.peak(), 1e-6);
  }

  /** Asserts that both meters agree, feeding the block meter {@code batch} samples at a time. */
  private static double assertSamePeak(float[] audio, long from, long to, int batch) {
    TruePeak meter = new TruePeak(from, to);
    for (int n = 0; n < audio.length; n += batch) {
      float[] part = new float[Math.min(batch, audio.length - n)];
      System.arraycopy(audio, n, part, 0, part.length);
      meter.add(part, 0, 1, part.length);
    }
    meter.finish();
    double plain = PlainTruePeak.of(audio, from, to);
    assertEquals(
        plain,
        meter.peak(),
        FLOAT_ROUNDING * plain,
        () -> "counted [" + from + ", " + to + ") of " + audio.length + " in batches of " + batch);
    return plain;
  }

  private static float[] noise(Random random, int length) {
    float[] noise = new float[length];
    IntStream.range(0, length).forEach(n -> noise[n] = 2 * random.nextFloat() - 1);
    return noise;
  }

  private static float[] impulse(int length, int at) {
    float[] audio = new float[length];
    audio[at] = 0.9f;
    return audio;
  }
}
