package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.execution.ShutdownGate;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.metrics.JobMetrics;
import dev.concat.activities.testing.GeneratedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The meter that reads an MP3 while FFmpeg writes it reads what the same meter reads from the
 * finished file, and steps aside (nothing reported, no process or FIFO left) when it cannot.
 */
class ConcurrentOutputMeterTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final Duration STALL = Duration.ofSeconds(30);
  private static final ChunkLoudnessMeter READER =
      new ChunkLoudnessMeter(FFMPEG, new ProcessLauncher(Map.of()));

  @TempDir Path dir;

  private final FfmpegSupervisor supervisor =
      new FfmpegSupervisor(
          new ProcessLauncher(Map.of()),
          new ShutdownGate(),
          Duration.ofSeconds(2),
          JobMetrics.none());

  /**
   * Steady noise, and tone bursts cut hard by silence: on the bursts every 400 ms gating block and
   * 3 s window counts, so a stream read a few milliseconds off the file's timeline (the encoder's
   * delay left in) reads differently; and a tone cut off at the end, whose true peak the encoder's
   * end padding would raise.
   */
  @ParameterizedTest
  @ValueSource(strings = {"noise", "bursts", "short", "cut"})
  void theReadingWhileWritingIsTheFinishedFilesReading(String programme) throws Exception {
    Path source =
        GeneratedAudio.make(
            switch (programme) {
              // A loud tone cut off at the end: the encoder's end padding rings with it.
              case "cut" -> GeneratedAudio.sine(dir.resolve("cut.wav"), 10, 1000, 44100, 1, 16);
              case "noise" ->
                  GeneratedAudio.pinkNoise(dir.resolve("noise.wav"), 40, 0.5, -6, 44100);
              case "bursts" ->
                  new GeneratedAudio.Part(
                      dir.resolve("bursts.wav"),
                      "aevalsrc=0.4*sin(2*PI*330*t)*lt(mod(t\\,1.37)\\,0.45)*(1+0.5*lt(mod(t\\,5.3)\\,2)):s=44100:d=40",
                      44100,
                      1);
              // Few blocks, each edge counts: what speech between pauses does to a short file.
              default ->
                  new GeneratedAudio.Part(
                      dir.resolve("short.wav"),
                      "aevalsrc=0.5*sin(2*PI*220*t)*lt(mod(t\\,0.93)\\,0.21)*(1+lt(mod(t\\,2.2)\\,0.6)):s=44100:d=4.4",
                      44100,
                      1);
            });
    Path partial = dir.resolve("output.partial.mp3");
    Path output = dir.resolve("output.mp3");

    Optional<LoudnessSummary> reading;
    long decodedMicros;
    try (var meter = ConcurrentOutputMeter.start("job-1", partial, READER).orElseThrow()) {
      FfmpegExit encode = encodeMp3("job-1", source, partial);
      assertTrue(encode.succeeded(), encode.stderr());
      meter.sourceComplete();
      // As the join does, at once: the meter must not need the file under its old name.
      Files.move(partial, output);
      reading = meter.result(() -> {});
      decodedMicros = meter.decodedMicros();
    }
    long samples = Mp3InfoTag.read(output).orElseThrow().decodedSamples();
    ChunkLoudness finished = READER.measure(output, new ChunkSpan(0, 0, samples));

    assertTrue(reading.isPresent(), "the meter read the stream while it was written");
    // The same samples, the end padding left out: the same reading, to rounding.
    assertEquals(finished.integratedLufs(), reading.get().integratedLufs(), 1e-9, "integrated");
    assertEquals(finished.truePeakDb(), reading.get().truePeakDb(), 1e-9, "true peak, dBTP");
    assertEquals(
        finished.loudnessRangeLu(), reading.get().loudnessRangeLu(), 1e-9, "loudness range, LU");
    assertTrue(
        decodedMicros
            >= switch (programme) {
              case "short" -> 4_400_000L;
              case "cut" -> 10_000_000L;
              default -> 40_000_000L;
            },
        "it decoded the whole file: " + decodedMicros + " us");
    assertFalse(Files.exists(dir.resolve("output.partial.mp3.meter")), "the FIFO is gone");
  }

  @Test
  void aStreamThatIsNotMp3GivesNoReading() throws Exception {
    Path partial = dir.resolve("output.partial.mp3");
    byte[] noise = new byte[200_000];
    new Random(7).nextBytes(noise);

    Optional<LoudnessSummary> reading;
    try (var meter = ConcurrentOutputMeter.start("job-2", partial, READER).orElseThrow()) {
      Files.write(partial, noise);
      meter.sourceComplete();
      reading = meter.result(() -> {});
    }

    assertTrue(reading.isEmpty(), "random bytes are no reading: " + reading);
  }

  @Test
  void aMeterKilledMidwayGivesNoReading() throws Exception {
    Path source =
        GeneratedAudio.make(GeneratedAudio.sine(dir.resolve("sine.wav"), 20, 440, 44100, 1));
    Path encoded = dir.resolve("encoded.mp3");
    FfmpegExit encode = encodeMp3("job-4", source, encoded);
    assertTrue(encode.succeeded(), encode.stderr());
    byte[] bytes = Files.readAllBytes(encoded);
    Path partial = dir.resolve("output.partial.mp3");

    Optional<LoudnessSummary> reading;
    try (var meter = ConcurrentOutputMeter.start("job-4", partial, READER).orElseThrow()) {
      Files.write(partial, Arrays.copyOf(bytes, bytes.length / 2));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (meter.decodedMicros() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      meterHandles().forEach(ProcessHandle::destroyForcibly);
      Files.write(partial, bytes);
      meter.sourceComplete();
      reading = meter.result(() -> {});
    }

    assertTrue(reading.isEmpty(), "a meter that died read nothing whole: " + reading);
  }

  @Test
  void anEncodeThatNeverWritesLeavesNoMeterBehind() throws Exception {
    Path partial = dir.resolve("output.partial.mp3");
    long before = meterProcesses();

    try (var meter = ConcurrentOutputMeter.start("job-3", partial, READER).orElseThrow()) {
      Thread.sleep(500);
      assertTrue(meterProcesses() > before, "the meter runs while the encode would");
    }

    assertEquals(before, meterProcesses(), "no meter FFmpeg is left running");
    assertFalse(Files.exists(dir.resolve("output.partial.mp3.meter")), "the FIFO is gone");
  }

  private long meterProcesses() {
    return meterHandles().size();
  }

  private List<ProcessHandle> meterHandles() {
    String fifo = dir.resolve("output.partial.mp3.meter").toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> List.of(args).contains(fifo)).orElse(false))
        .toList();
  }

  /**
   * Encodes as the join does, with the Info frame the muxer writes at the start and rewrites at the
   * end.
   */
  private FfmpegExit encodeMp3(String jobId, Path source, Path mp3) throws Exception {
    return supervisor.run(
        jobId,
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            source.toString(),
            "-c:a",
            "libmp3lame",
            "-b:a",
            "128k",
            "-write_xing",
            "1",
            mp3.toString()),
        mp3,
        STALL,
        p -> {});
  }
}
