package dev.concat.activities.loudness;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.testing.Command;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Prints what measuring loudness costs over 10 minutes of 48 kHz stereo: FFmpeg's ebur128 with and
 * without its true peak, FFmpeg printing its momentary loudness, a bare decode, this package's
 * meter, and its parts in memory; then the payload size of the blocks as a histogram against a
 * float per block, scaled to a 10-hour job. A program, not a test: {@code java -cp ...
 * ChunkLoudnessBenchmark [dir]}.
 */
public final class ChunkLoudnessBenchmark {
  private static final int RATE = 48_000;
  private static final int SECONDS = 600;
  private static final int JOB_HOURS = 10;

  /** Where the K-weighting's result goes, so that the JIT cannot skip the loop. */
  private static volatile double sink;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("loudness-bench");
    Path programme = dir.resolve("programme.wav");
    // Pink noise swelling and falling every 7 s, with a gap each 11 s: a programme the gates act
    // on.
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            String.format(
                Locale.ROOT,
                "anoisesrc=color=pink:amplitude=0.5:seed=3:sample_rate=%d:duration=%d,"
                    + "volume='0.2+0.8*abs(sin(PI*t/7))*gt(mod(t,11),1)':eval=frame,pan=stereo|c0=c0|c1=0.7*c0",
                RATE,
                SECONDS),
            "-c:a",
            "pcm_s16le",
            programme.toString()));
    System.out.printf("%d s of %d Hz stereo; each measured twice%n", SECONDS, RATE);
    ffmpeg("ebur128, true peak", programme, "ebur128=peak=true:framelog=verbose");
    ffmpeg("ebur128, no true peak", programme, "ebur128=framelog=verbose");
    ffmpeg(
        "ebur128 printing M per 100 ms",
        programme,
        "ebur128=metadata=1:framelog=verbose,ametadata=print:key=lavfi.r128.M:file=/dev/null");
    ffmpeg("decode only", programme, "anull");
    ChunkLoudness whole = null;
    for (int run = 0; run < 2; run++) {
      long start = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      whole =
          ChunkedLoudnessTest.METER.measure(programme, new ChunkSpan(0, 0, (long) RATE * SECONDS));
      System.out.printf(
          "%-45s %6.2f s wall, %6.2f s CPU in Java (+ FFmpeg's decode)%n",
          "ChunkLoudnessMeter (decode to pipe + Java)",
          (System.nanoTime() - start) / 1e9,
          (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
    }
    System.out.printf(
        "  I %.3f LUFS, LRA %.2f LU, true peak %.2f dBTP%n",
        whole.integratedLufs(), whole.loudnessRangeLu(), whole.truePeakDb());
    inMemoryParts(programme, dir);
    payloadSizes(whole);
  }

  /**
   * Prints the run's wall-clock and CPU seconds, as GNU time reports them (the machine is shared).
   */
  private static void ffmpeg(String what, Path programme, String filter) {
    for (int run = 0; run < 2; run++) {
      String times =
          Command.stderr(
              List.of(
                  "/usr/bin/time",
                  "-f",
                  "TIMES %e %U %S",
                  "ffmpeg",
                  "-nostdin",
                  "-v",
                  "error",
                  "-i",
                  programme.toString(),
                  "-af",
                  filter,
                  "-f",
                  "null",
                  "-"));
      String[] t = times.substring(times.lastIndexOf("TIMES ")).trim().split(" ");
      System.out.printf(
          "%-45s %6.2f s wall, %6.2f s CPU%n",
          "FFmpeg " + what,
          Double.parseDouble(t[1]),
          Double.parseDouble(t[2]) + Double.parseDouble(t[3]));
    }
  }

  private static void print(String what, long startCpu) {
    System.out.printf(
        "%-45s %6.2f s CPU%n", what, (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e9);
  }

  /** The Java parts alone, over samples already in memory. */
  private static void inMemoryParts(Path programme, Path dir) throws Exception {
    Path raw = dir.resolve("programme.f32");
    Command.stdoutTo(
        List.of(
            "ffmpeg", "-nostdin", "-v", "error", "-i", programme.toString(), "-f", "f32le", "-"),
        raw);
    float[] samples = new float[(int) (Files.size(raw) / Float.BYTES)];
    ByteBuffer.wrap(Files.readAllBytes(raw))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(samples);
    for (int run = 0; run < 2; run++) {
      long start = THREADS.getCurrentThreadCpuTime();
      // A step (100 ms) at a time, as the meter weighs them.
      int frames = samples.length / 2;
      double[] weighted = new double[RATE / 10];
      double sum = 0;
      for (int c = 0; c < 2; c++) {
        KWeighting filter = new KWeighting(RATE);
        for (int f = 0; f < frames; f += weighted.length) {
          int count = Math.min(weighted.length, frames - f);
          filter.apply(samples, 2 * f + c, 2, count, weighted);
          sum += weighted[count - 1];
        }
      }
      sink = sum;
      print("  Java K-weighting alone", start);
      start = THREADS.getCurrentThreadCpuTime();
      PerSampleTruePeak[] perSample = {new PerSampleTruePeak(), new PerSampleTruePeak()};
      for (int i = 0; i < samples.length; i++) {
        perSample[i % 2].add(samples[i]);
      }
      print("  Java true peak alone, a sample at a time", start);
      start = THREADS.getCurrentThreadCpuTime();
      TruePeak[] peaks = {new TruePeak(0, samples.length), new TruePeak(0, samples.length)};
      for (int c = 0; c < 2; c++) {
        peaks[c].add(samples, c, 2, samples.length / 2);
      }
      print("  Java true peak alone, a block at a time", start);
    }
  }

  /** Sizes of one chunk's result as JSON, and of a whole job's blocks kept as a float each. */
  private static void payloadSizes(ChunkLoudness whole) throws Exception {
    var mapper = new ObjectMapper();
    int histogramJson = mapper.writeValueAsBytes(whole).length;
    long jobBlocks = JOB_HOURS * 36_000L;
    // The same 10 minutes repeated, as a 10-hour job's merged blocks.
    List<GatingBlocks> repeats = new ArrayList<>();
    for (int i = 0; i < JOB_HOURS * 6; i++) {
      GatingBlocks b = whole.blocks();
      repeats.add(
          new GatingBlocks(i * b.blockCount(), b.blockCount(), b.loudness(), b.shortTerm()));
    }
    int jobHistogramJson = mapper.writeValueAsBytes(GatingBlocks.merged(repeats)).length;
    float[] perBlock = new float[(int) jobBlocks];
    Arrays.fill(perBlock, 1.2345678e-3f);
    int floatsJson = mapper.writeValueAsBytes(perBlock).length;
    int floatsBase64 =
        Base64.getEncoder().encodeToString(new byte[perBlock.length * Float.BYTES]).length();
    System.out.printf(
        "payload: 10 min as histograms %,d B of JSON; %d h merged %,d B; a float per block for %d h: "
            + "%,d B raw, %,d B base64, %,d B as a JSON array%n",
        histogramJson,
        JOB_HOURS,
        jobHistogramJson,
        JOB_HOURS,
        perBlock.length * Float.BYTES,
        floatsBase64,
        floatsJson);
  }

  private ChunkLoudnessBenchmark() {}
}
