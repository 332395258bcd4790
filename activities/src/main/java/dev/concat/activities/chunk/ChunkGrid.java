package dev.concat.activities.chunk;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to cut an MP3 encode of {@code samples} source samples into chunks that separate LAME
 * processes encode and a byte-wise join puts back together as if one process had encoded it all.
 *
 * <p>LAME delays its input by 576 samples and FFmpeg's decoder adds 529, so frame j of a stream
 * whose input starts at sample A carries input [A + 1152j - 1105, A + 1152j + 47). A chunk's frames
 * fall on the one-pass grid only if its encoder's input starts at a multiple of 1152. Each encoder
 * reads {@link #preRoll()} frames before its chunk: a cold encoder's first frames are worse (2
 * frames make the seam as good as one pass), and the rest let the chunk's own decode be metered
 * from its first owned sample ({@link JoinedMp3Meter#PRE_ROLL_SAMPLES_AT_44K}); and {@link
 * #POST_ROLL} frames after it (the last kept frame's transform reaches into the next frames).
 *
 * <p>Each chunk's encoder also starts on a multiple of the padding period: a CBR stream whose frame
 * is not a whole number of bytes long pads one frame in a fixed cycle (every 49 frames at 44.1 kHz,
 * 1 at 48 kHz) which restarts with each encoder. On that grid every frame has the one-pass frame's
 * size; with the bit reservoir off a steady tone joins byte for byte as the one-pass encode (after
 * transients, a few frames past a seam differ in content, not in size).
 *
 * @param samples source length in samples per channel
 * @param sampleRate 32, 44.1 or 48 kHz (MPEG-1: 1152 samples a frame)
 * @param bitRateKbps the CBR rate
 */
public record ChunkGrid(long samples, int sampleRate, int bitRateKbps) {
  public static final int FRAME_SAMPLES = 1152;

  /** LAME's encoder delay, which the LAME tag declares. */
  public static final int ENCODER_DELAY = 576;

  /** The encoder delay plus the 529 samples of FFmpeg's (and most) layer III decoders. */
  public static final int TOTAL_DELAY = ENCODER_DELAY + 529;

  /**
   * Measured as pre-roll: 0 frames leave the seam frame near 3 dB SNR, 1 near 14 dB, 2 as good as
   * one pass; as post-roll, the same 2.
   */
  public static final int POST_ROLL = 2;

  public ChunkGrid {
    if (samples <= 0) {
      throw new IllegalArgumentException("no samples to encode");
    }
    if (sampleRate != 32_000 && sampleRate != 44_100 && sampleRate != 48_000) {
      throw new IllegalArgumentException(
          "chunked MP3 needs 32, 44.1 or 48 kHz (1152-sample frames), not " + sampleRate + " Hz");
    }
  }

  /** Frames in the whole stream, the last ones the encoder's flush. */
  public long frameCount() {
    return Math.floorDiv(samples + TOTAL_DELAY + FRAME_SAMPLES - 1, FRAME_SAMPLES);
  }

  /** Frames in one cycle of the CBR padding bit; a chunk's encoder starts on a multiple of it. */
  public int paddingPeriod() {
    long bytesNumerator = 144_000L * bitRateKbps;
    return (int)
        (sampleRate
            / BigInteger.valueOf(bytesNumerator).gcd(BigInteger.valueOf(sampleRate)).longValue());
  }

  /**
   * Frames each chunk's encoder reads before the chunk: enough that the loudness meter, reading the
   * chunk's own frames decoded from its encoder's start, has the 3 s of audio before the chunk's
   * first sample that the gating blocks and short-term windows ending in the chunk reach back over.
   * About 3.2 s: a 60 s chunk costs 5 % more to encode.
   */
  public int preRoll() {
    return preRoll(sampleRate);
  }

  /** {@link #preRoll()} at {@code sampleRate}. */
  public static int preRoll(int sampleRate) {
    long samples = JoinedMp3Meter.PRE_ROLL_SAMPLES_AT_44K * sampleRate / 44_100 + TOTAL_DELAY;
    return (int) ((samples + FRAME_SAMPLES - 1) / FRAME_SAMPLES);
  }

  /** The end padding the LAME tag declares: what the decoder drops after the last source sample. */
  public long endPadding() {
    return frameCount() * FRAME_SAMPLES - ENCODER_DELAY - samples;
  }

  /**
   * Chunks of about {@code target} each (a multiple of the padding period); the first is {@link
   * #preRoll()} frames longer so that every later encoder starts on the period, the last takes what
   * is left.
   */
  public List<Mp3Chunk> chunks(Duration target) {
    int period = paddingPeriod();
    long targetFrames = target.toNanos() * sampleRate / FRAME_SAMPLES / 1_000_000_000L;
    long step = Math.max(period, Math.round((double) targetFrames / period) * period);
    long total = frameCount();
    int preRoll = preRoll();
    List<Long> starts = new ArrayList<>(List.of(0L));
    for (long start = step + preRoll; start < total; start += step) {
      starts.add(start);
    }
    List<Mp3Chunk> chunks = new ArrayList<>();
    for (int c = 0; c < starts.size(); c++) {
      boolean last = c == starts.size() - 1;
      long first = starts.get(c);
      long end = last ? total : starts.get(c + 1);
      long encoderStart = Math.max(0, first - preRoll);
      long inputEnd = Math.min(samples, (end + POST_ROLL) * FRAME_SAMPLES);
      chunks.add(
          new Mp3Chunk(
              c,
              first,
              end,
              encoderStart * FRAME_SAMPLES,
              inputEnd,
              (int) (first - encoderStart),
              last));
    }
    return chunks;
  }
}
