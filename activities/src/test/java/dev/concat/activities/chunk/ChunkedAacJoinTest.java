package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.IndependentMeter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked AAC encode, joined, against one FFmpeg pass over the same source: the same frame count
 * and decoded length, per-frame SNR at every seam and on average, loudness by another meter (and
 * within 0.1 LU of one pass's), and a second attempt that encodes only what a failed one left.
 * Audio is decoded by FFmpeg; frames, SNR and lengths are computed by this test's own code.
 */
class ChunkedAacJoinTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final int ENCODERS = 2;
  private static final int FRAME = 1024;

  /**
   * The frames checked around each seam: the previous chunk's last two, the next chunk's first 8.
   */
  private static final int SEAM_BEFORE = 2;

  private static final int SEAM_AFTER = 8;

  @TempDir Path dir;

  /**
   * Two channels that differ: a chord with noise bursts on the left, a tone in noise on the right.
   */
  @Test
  void stereoChordAndNoiseAt44100AreSeamlessAndExact() throws Exception {
    Path wav = dir.resolve("chord-noise.wav");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc='0.3*sin(2*PI*440*t)+0.2*sin(2*PI*660*t+3*sin(2*PI*0.4*t))"
                + "+0.3*(random(0)-0.5)*(0.1+lt(mod(t\\,0.37)\\,0.05))"
                + "|0.3*sin(2*PI*550*t)+0.2*(random(1)-0.5)':s=44100:d=61.3",
            "-c:a",
            "pcm_s16le",
            wav.toString()));
    checkSeamlessAndExact(wav, 2, 128, Duration.ofSeconds(15));
  }

  /**
   * A mono programme in a stereo file (both channels the same), as a mono recording encoded to the
   * default stereo output is: pink noise whose level comes and goes as speech's does.
   */
  @Test
  void monoInStereoSpeechLikeNoiseAt48000IsSeamlessAndExact() throws Exception {
    Path wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("speech-like.wav"),
                "anoisesrc=r=48000:a=0.3:c=pink:seed=7:d=61,"
                    + "volume='0.2+0.8*abs(sin(t*2.1))*gt(sin(t*0.9)\\,-0.3)':eval=frame",
                48_000,
                2));
    checkSeamlessAndExact(wav, 2, 128, Duration.ofSeconds(15));
  }

  @Test
  void monoStruckNotesAt22050AreSeamlessAndExact() throws Exception {
    Path wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("struck-notes.wav"),
                "aevalsrc='0.6*sin(2*PI*880*t)*exp(-15*mod(t\\,0.29))"
                    + "+0.3*sin(2*PI*220*t)*exp(-8*mod(t+0.1\\,0.47))':s=22050:d=41.7",
                22_050,
                1));
    checkSeamlessAndExact(wav, 1, 64, Duration.ofSeconds(10));
  }

  @Test
  void monoNoiseBurstsAt8000AreSeamlessAndExact() throws Exception {
    Path wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("noise-bursts.wav"),
                "aevalsrc='0.8*(random(0)-0.5)*(0.05+lt(mod(t\\,0.13)\\,0.02))':s=8000:d=40.9",
                8_000,
                1));
    checkSeamlessAndExact(wav, 1, 24, Duration.ofSeconds(10));
  }

  /**
   * One FFmpeg for two attempts, as on a restarted worker: the first fails chunk 2 (as a crash
   * would stop it there), the second encodes only the chunks the first did not finish, and the
   * stream is the uninterrupted one's, byte for byte.
   */
  @Test
  void anAttemptAfterAFailureEncodesOnlyWhatTheFailedOneDidNotFinish() throws Exception {
    Path wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("resumed.wav"),
                "aevalsrc='0.5*sin(2*PI*330*t)*exp(-4*mod(t\\,0.6))':s=44100:d=50",
                44_100,
                1));
    var settings = new ChunkedAacJoin.Settings(96, Duration.ofSeconds(10), 1);
    Path whole = dir.resolve("whole.aac");
    new ChunkedAacJoin(FFMPEG, new ProcessLauncher(Map.of()), settings)
        .join(wav, whole, Files.createDirectories(dir.resolve("whole-chunks")));

    Path chunks = Files.createDirectories(dir.resolve("resumed-chunks"));
    Path failChunk2 = Files.createFile(dir.resolve("fail-chunk-2"));
    Path commands = dir.resolve("commands");
    Path ffmpeg = dir.resolve("ffmpeg");
    Files.writeString(
        ffmpeg,
        "#!/bin/sh\ncase \"$*\" in\n  *chunk-00002-*) [ -f "
            + failChunk2
            + " ] && exit 1 ;;\nesac\necho \"$*\" >> "
            + commands
            + "\nexec ffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwx------"));
    var failing = new ChunkedAacJoin(ffmpeg, new ProcessLauncher(Map.of()), settings);
    Path resumed = dir.resolve("resumed.aac");
    assertThrows(IOException.class, () -> failing.join(wav, resumed, chunks));
    long encodedBefore = encodes(commands);
    assertEquals(2, encodedBefore, "the chunks before chunk 2, one encoder at a time");

    Files.delete(failChunk2);
    ChunkedAacJoin.Result result = failing.join(wav, resumed, chunks);

    assertEquals(2, result.reusedChunks(), result.toString());
    assertEquals(result.chunks() - 2, encodes(commands) - encodedBefore, "encoded again");
    assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    try (var left = Files.list(chunks)) {
      assertEquals(List.of(), left.toList(), "chunk files left after the join");
    }
  }

  private static long encodes(Path commands) throws IOException {
    return Files.readAllLines(commands).stream().filter(line -> line.contains("-c:a aac")).count();
  }

  private void checkSeamlessAndExact(Path wav, int channels, int kbps, Duration chunkLength)
      throws Exception {
    Path joined = dir.resolve(wav.getFileName().toString().replace(".wav", "-chunked.aac"));
    Path work = Files.createDirectories(dir.resolve(wav.getFileName() + "-chunks"));
    ChunkedAacJoin.Result result =
        new ChunkedAacJoin(
                FFMPEG,
                new ProcessLauncher(Map.of()),
                new ChunkedAacJoin.Settings(kbps, chunkLength, ENCODERS))
            .join(wav, joined, work);
    System.out.println(joined.getFileName() + ": " + result);
    long samples = WavFile.sampleFrames(wav);
    int rate = WavFile.format(wav).sampleRate();
    long frames = (samples + FRAME + FRAME - 1) / FRAME;
    assertTrue(result.chunks() >= 4, result.chunks() + " chunks: too few seams to test");
    assertEquals(samples, result.samples());
    assertEquals(frames, result.frames(), "frame count");
    assertEquals(samples + FRAME - (frames - 1) * FRAME, result.lastFrameSamples());

    Path onePass = onePass(wav, kbps);
    assertEquals(frames, adtsFrames(Files.readAllBytes(onePass)), "one pass's frame count");
    assertEquals(frames, adtsFrames(Files.readAllBytes(joined)), "the joined stream's frames");

    short[] source = pcm(wav);
    short[] chunkedDecode = pcm(joined);
    short[] onePassDecode = pcm(onePass);
    assertEquals(frames * FRAME * channels, chunkedDecode.length, "decoded, priming and padding");
    assertEquals(onePassDecode.length, chunkedDecode.length, "decoded as long as one pass");
    var chunked =
        new FrameSnr(
            source, programme(chunkedDecode, samples, channels), channels, frames, FRAME, FRAME);
    var reference =
        new FrameSnr(
            source, programme(onePassDecode, samples, channels), channels, frames, FRAME, FRAME);

    double floor = reference.percentile(1);
    String worst = "";
    double worstMargin = Double.POSITIVE_INFINITY;
    var grid = new AacChunkGrid(samples, rate);
    List<AacChunk> chunks = grid.chunks(chunkLength);
    for (AacChunk chunk : chunks.subList(1, chunks.size())) {
      for (long frame = chunk.firstFrame() - SEAM_BEFORE;
          frame < Math.min(frames, chunk.firstFrame() + SEAM_AFTER);
          frame++) {
        double snr = chunked.at(frame);
        if (Double.isNaN(snr)) {
          continue;
        }
        // A frame one pass renders worse still is held to one pass's own SNR there.
        double bound = Math.min(floor, reference.at(frame));
        if (snr - bound < worstMargin) {
          worstMargin = snr - bound;
          worst =
              String.format(
                  Locale.ROOT,
                  "seam frame %d: %.2f dB, held to %.2f dB (one pass's 1st percentile %.2f dB)",
                  frame,
                  snr,
                  bound,
                  floor);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: worst %s; mean %.3f dB against one pass's %.3f dB%n",
        joined.getFileName(),
        worst,
        chunked.mean(),
        reference.mean());
    assertTrue(worstMargin >= 0, worst);
    assertEquals(reference.mean(), chunked.mean(), 0.5, "mean frame SNR against one pass");

    IndependentMeter meter = IndependentMeter.measure(programmeWav(joined, samples));
    String what = "pyloudnorm " + meter + ", chunks merged " + result.loudness();
    assertEquals(meter.integratedLufs(), result.loudness().integratedLufs(), 0.05, what);
    assertEquals(meter.truePeakDb(), result.loudness().truePeakDb(), 0.2, what);
    IndependentMeter single = IndependentMeter.measure(programmeWav(onePass, samples));
    assertEquals(
        single.integratedLufs(),
        result.loudness().integratedLufs(),
        0.1,
        "the issue's bound against one pass, by pyloudnorm: " + single + ", chunked " + what);
  }

  /** The decode with the priming dropped and cut to the source's length. */
  private static short[] programme(short[] decoded, long samples, int channels) {
    return Arrays.copyOfRange(decoded, FRAME * channels, (int) ((FRAME + samples) * channels));
  }

  /**
   * The stream's decode from its first source sample to its last, as a float WAV: the priming and
   * the end padding, which an M4A's edit list leaves out, are not the programme's.
   */
  private Path programmeWav(Path adts, long samples) {
    Path wav = dir.resolve(adts.getFileName() + ".programme.wav");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            adts.toString(),
            "-af",
            "atrim=start_sample=" + FRAME + ":end_sample=" + (FRAME + samples),
            "-c:a",
            "pcm_f32le",
            wav.toString()));
    return wav;
  }

  private static long adtsFrames(byte[] adts) {
    return AdtsFrames.of(adts).count();
  }

  private Path onePass(Path wav, int kbps) {
    Path aac = dir.resolve(wav.getFileName() + "-one-pass.aac");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            wav.toString(),
            "-c:a",
            "aac",
            "-b:a",
            kbps + "k",
            "-f",
            "adts",
            aac.toString()));
    return aac;
  }

  /** Decodes with FFmpeg to interleaved 16-bit samples. */
  private short[] pcm(Path file) throws IOException {
    Path raw = dir.resolve(file.getFileName() + ".s16");
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error"));
    command.addAll(
        List.of("-i", file.toString(), "-f", "s16le", "-c:a", "pcm_s16le", raw.toString()));
    Command.stdout(command);
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[bytes.remaining() / 2];
    bytes.asShortBuffer().get(samples);
    return samples;
  }
}
