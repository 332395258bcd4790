package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.workdir.ChunkCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked MP3 encode, joined, against one FFmpeg pass over the same source: exact length, header
 * fields, and per-frame SNR at every seam. Audio is decoded by FFmpeg; lengths, SNR and the Info
 * frame are computed by this test's own code.
 */
class ChunkedMp3JoinTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final int ENCODERS = 2;

  /**
   * The frames checked around each seam: the previous chunk's last two, the next chunk's first
   * four.
   */
  private static final int SEAM_BEFORE = 2;

  private static final int SEAM_AFTER = 4;

  @TempDir Path dir;

  @Test
  void stereoToneAt44100IsSeamlessAndExact() throws Exception {
    // A chord whose upper note drifts in phase: tonal, yet its frame SNR varies as music's does.
    var wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("chord.wav"),
                "aevalsrc='0.3*sin(2*PI*440*t)+0.2*sin(2*PI*660*t+3*sin(2*PI*0.4*t))+0.1*sin(2*PI*1320*t)'"
                    + ":s=44100:d=24.3",
                44_100,
                2));
    checkSeamlessAndExact(wav, 2, 128, Duration.ofSeconds(4), BitReservoir.CARRIED);
    checkSeamlessAndExact(wav, 2, 128, Duration.ofSeconds(4), BitReservoir.OFF);
  }

  @Test
  void monoNoiseBurstsAt48000AreSeamlessAndExact() throws Exception {
    Path wav = noiseBursts(48_000);
    checkSeamlessAndExact(wav, 1, 96, Duration.ofSeconds(3), BitReservoir.CARRIED);
    checkSeamlessAndExact(wav, 1, 96, Duration.ofSeconds(3), BitReservoir.OFF);
  }

  @Test
  void monoStruckNotesAt44100AreSeamlessAndExact() throws Exception {
    Path wav = struckNotes(44_100);
    checkSeamlessAndExact(wav, 1, 96, Duration.ofSeconds(3), BitReservoir.CARRIED);
    checkSeamlessAndExact(wav, 1, 96, Duration.ofSeconds(3), BitReservoir.OFF);
  }

  /**
   * Proves the seam check can fail: uncarried, the bit reservoir's back-pointers reach into dropped
   * pre-roll.
   */
  @Test
  void withTheBitReservoirOnASeamFrameDrops() throws Exception {
    Path wav = struckNotes(44_100);
    Path joined = dir.resolve("reservoir.mp3");
    UnaryOperator<List<String>> reservoirOn =
        command -> {
          List<String> edited = new ArrayList<>(command);
          edited.set(edited.indexOf("-reservoir") + 1, "1");
          return edited;
        };
    new ChunkedMp3Join(
            FFMPEG,
            new ProcessLauncher(Map.of()),
            settings(96, Duration.ofSeconds(3), BitReservoir.OFF),
            reservoirOn)
        .join(wav, joined, dir);

    Comparison comparison = compare(wav, joined, 1, 96, Duration.ofSeconds(3));
    assertEquals(
        WavFile.sampleFrames(wav),
        comparison.decodedSamples(),
        "the decoded length is still exact");
    SeamFrame worst = comparison.worstSeam(comparison.defaultOnePass());
    assertTrue(worst.margin() < 0, worst.toString());
  }

  /**
   * The same programme joined again with half a second replaced, as when an episode is submitted
   * again with one segment changed: the chunks whose input does not reach the change are linked
   * from the host's cache, only the others are encoded, and the file is byte for byte a join made
   * from nothing, measured alike.
   */
  @Test
  void aJoinWithOnePartReplacedEncodesOnlyTheChunksThatPartTouches() throws Exception {
    Path original = struckNotes(44_100);
    WavFile.Format format = WavFile.format(original);
    long changeStart = 9 * 44_100L;
    long changeEnd = changeStart + 22_050;
    byte[] bytes = Files.readAllBytes(original);
    Arrays.fill(
        bytes,
        (int) (format.dataOffset() + changeStart * format.blockAlign()),
        (int) (format.dataOffset() + changeEnd * format.blockAlign()),
        (byte) 0);
    Path replaced = Files.write(dir.resolve("replaced.wav"), bytes);
    var settings = settings(96, Duration.ofSeconds(3), BitReservoir.CARRIED);
    var join = new ChunkedMp3Join(FFMPEG, new ProcessLauncher(Map.of()), settings);
    var cache = new ChunkCache(dir.resolve("chunk-cache"), 100L << 20);
    List<Mp3Chunk> chunks =
        new ChunkGrid(format.sampleFrames(), 44_100, 96).chunks(Duration.ofSeconds(3));
    long touched =
        chunks.stream()
            .filter(c -> c.inputStart() < changeEnd && c.inputEnd() > changeStart)
            .count();

    ChunkedMp3Join.Result first =
        join.join(
            original,
            dir.resolve("original.mp3"),
            Files.createDirectories(dir.resolve("job-1")),
            cache);
    ChunkedMp3Join.Result again =
        join.join(
            replaced,
            dir.resolve("again.mp3"),
            Files.createDirectories(dir.resolve("job-2")),
            cache);
    ChunkedMp3Join.Result fresh =
        join.join(
            replaced, dir.resolve("fresh.mp3"), Files.createDirectories(dir.resolve("job-3")));

    assertEquals(0, first.reusedChunks(), "an empty cache");
    assertTrue(touched > 0 && touched < chunks.size(), touched + " of " + chunks.size());
    assertEquals(chunks.size(), again.chunks());
    assertEquals(chunks.size() - touched, again.reusedChunks(), "only the touched chunks encoded");
    assertEquals(0, fresh.reusedChunks());
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("fresh.mp3")),
        Files.readAllBytes(dir.resolve("again.mp3")),
        "the same file as a join from nothing");
    assertTrue(again.loudness() != null, "every kept chunk came with its measurement");
    assertEquals(fresh.loudness().integratedLufs(), again.loudness().integratedLufs());
    assertEquals(fresh.loudness().truePeak(), again.loudness().truePeak());
    assertEquals(fresh.loudness().loudnessRangeLu(), again.loudness().loudnessRangeLu());
    try (Stream<Path> left = Files.list(dir.resolve("job-2"))) {
      assertEquals(List.of(), left.toList(), "the job's own chunk files are gone");
    }
  }

  /**
   * A source still being written, as FFmpeg writes the join's decode: its header's sizes unknown,
   * its samples arriving a second at a time. Chunks start before the writer is done, and the join
   * is byte for byte the one of the whole file.
   */
  @Test
  void aSourceStillBeingWrittenJoinsAsTheWholeFileDoes() throws Exception {
    Path whole = struckNotes(44_100);
    var settings = settings(128, Duration.ofSeconds(3), BitReservoir.CARRIED);
    Path fromWhole = dir.resolve("from-whole.mp3");
    new ChunkedMp3Join(FFMPEG, new ProcessLauncher(Map.of()), settings)
        .join(whole, fromWhole, Files.createDirectories(dir.resolve("whole-chunks")));

    WavFile.Format format = WavFile.format(whole);
    Path growing = dir.resolve("growing.wav");
    Path chunks = Files.createDirectories(dir.resolve("growing-chunks"));
    GrowingWav source = GrowingWav.writing(growing);
    var chunksBeforeTheEnd = new CompletableFuture<Long>();
    Thread writer =
        new Thread(
            () -> {
              try {
                writeSlowly(whole, format, growing);
                try (Stream<Path> files = Files.list(chunks)) {
                  chunksBeforeTheEnd.complete(
                      files.filter(f -> f.toString().endsWith(".mp3")).count());
                }
                source.finished();
              } catch (IOException | InterruptedException e) {
                chunksBeforeTheEnd.completeExceptionally(e);
                source.failed(new IOException(e));
              }
            });
    writer.start();
    Path fromGrowing = dir.resolve("from-growing.mp3");
    new ChunkedMp3Join(FFMPEG, new ProcessLauncher(Map.of()), settings)
        .join(
            source,
            format.sampleFrames(),
            fromGrowing,
            chunks,
            ChunkCache.NONE,
            new byte[0],
            new EncoderCores(ENCODERS),
            s -> {});
    writer.join();

    assertArrayEquals(Files.readAllBytes(fromWhole), Files.readAllBytes(fromGrowing));
    long early = chunksBeforeTheEnd.get();
    assertTrue(early >= 2, early + " chunks were encoded before the source was whole");
  }

  /**
   * Writes {@code whole} to {@code target} as FFmpeg writes a WAV to a file: the header first with
   * its sizes unknown, the samples a second at a time, then the sizes.
   */
  private static void writeSlowly(Path whole, WavFile.Format format, Path target)
      throws IOException, InterruptedException {
    byte[] bytes = Files.readAllBytes(whole);
    int dataStart = (int) format.dataOffset();
    byte[] header = Arrays.copyOf(bytes, dataStart);
    ByteBuffer sizes = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    sizes.putInt(4, -1);
    sizes.putInt(dataStart - 4, -1);
    int second = format.sampleRate() * format.blockAlign();
    try (var out =
        java.nio.channels.FileChannel.open(
            target,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(header));
      for (int from = dataStart; from < bytes.length; from += second) {
        out.write(ByteBuffer.wrap(bytes, from, Math.min(second, bytes.length - from)));
        Thread.sleep(100);
      }
      out.write(ByteBuffer.wrap(bytes, 0, dataStart), 0);
    }
  }

  /** Returns the joined file. */
  private Path checkSeamlessAndExact(
      Path wav, int channels, int kbps, Duration chunkLength, BitReservoir reservoir)
      throws Exception {
    Path joined =
        dir.resolve(
            wav.getFileName().toString().replace(".wav", "-reservoir-" + reservoir + ".mp3"));
    ChunkedMp3Join.Result result =
        new ChunkedMp3Join(
                FFMPEG, new ProcessLauncher(Map.of()), settings(kbps, chunkLength, reservoir))
            .join(wav, joined, dir);
    System.out.println(joined.getFileName() + ": " + result);
    long samples = WavFile.sampleFrames(wav);
    long frames = (samples + 1105 + 1151) / 1152;
    assertTrue(result.chunks() >= 5, result.chunks() + " chunks: too few seams to test");

    byte[] file = Files.readAllBytes(joined);
    LameTagFields tag = LameTagFields.read(file);
    assertEquals(frames, tag.frames(), "frame count");
    assertEquals(file.length, tag.bytes(), "byte count");
    assertEquals(file.length, tag.musicLength(), "music length");
    assertEquals(576, tag.encoderDelay(), "encoder delay");
    assertEquals(frames * 1152 - 576 - samples, tag.endPadding(), "end padding");
    assertTrue(tag.musicCrcOk(), "music CRC");
    assertTrue(tag.tagCrcOk(), "tag CRC");
    for (int i = 0; i < 100; i++) {
      // CBR: i % of the frames lie about i % into the bytes.
      assertEquals(256.0 * i / 100, tag.toc()[i], 2.0, "seek table entry " + i);
    }
    LameTagFields ffmpegTag = LameTagFields.read(Files.readAllBytes(onePass(wav, kbps, false)));
    assertEquals(
        List.of(ffmpegTag.frames(), ffmpegTag.encoderDelay(), ffmpegTag.endPadding()),
        List.of(tag.frames(), tag.encoderDelay(), tag.endPadding()),
        "FFmpeg's own Info frame for one pass");
    assertEquals(
        paddedFrames(onePassFrames(wav, kbps), 0),
        paddedFrames(file, tag.infoFrameLength()),
        "every encoder starts on the padding period, so frames are padded where one pass pads them");
    if (reservoir == BitReservoir.OFF) {
      // Measured with 2 frames of pre-roll, only a steady tone converged this far.
      assertArrayEquals(
          onePassFrames(wav, kbps),
          Arrays.copyOfRange(file, tag.infoFrameLength(), file.length),
          "after about 3.2 s of pre-roll, the chunk encoders write the one-pass frames byte for byte");
    }

    Comparison comparison = compare(wav, joined, channels, kbps, chunkLength);
    assertEquals(samples, comparison.decodedSamples(), "decoded length");
    FrameSnr reference =
        reservoir == BitReservoir.OFF
            ? comparison.sameSettingsOnePass()
            : comparison.defaultOnePass();
    SeamFrame worst = comparison.worstSeam(reference);
    assertTrue(
        worst.margin() >= 0,
        "against one pass with the reservoir "
            + (reservoir == BitReservoir.OFF ? "off" : "on")
            + ": "
            + worst);
    assertEquals(
        comparison.defaultOnePass().mean(),
        comparison.chunked().mean(),
        0.5,
        "mean frame SNR against one pass with FFmpeg's defaults");
    return joined;
  }

  /**
   * Frame SNR of the joined file, of one pass with the chunks' settings (bit reservoir off: what a
   * seam is measured against, so that it shows only what the seam costs), and of one pass with
   * FFmpeg's defaults (reservoir on: what concat encodes today).
   */
  private record Comparison(
      long decodedSamples,
      FrameSnr chunked,
      FrameSnr sameSettingsOnePass,
      FrameSnr defaultOnePass,
      List<Long> seamFrames) {

    /**
     * The seam frame furthest below what it is held to: the reference's 1st-percentile frame SNR,
     * or the reference's own SNR at that frame where one pass renders the frame worse still (a
     * noise burst's onset that happens to fall at a seam is not the seam's doing).
     */
    SeamFrame worstSeam(FrameSnr reference) {
      double floor = reference.percentile(1);
      SeamFrame worst = null;
      for (long frame : seamFrames) {
        var seam =
            new SeamFrame(frame, chunked.at(frame), Math.min(floor, reference.at(frame)), floor);
        if (worst == null || seam.margin() < worst.margin()) {
          worst = seam;
        }
      }
      return worst;
    }
  }

  /** A frame near a seam: its SNR, the least it is held to, and one pass's 1st percentile. */
  private record SeamFrame(long frame, double snr, double bound, double onePassFloor) {
    double margin() {
      return snr - bound;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "worst seam frame %d: %.2f dB, held to %.2f dB (one pass's 1st percentile %.2f dB)",
          frame,
          snr,
          bound,
          onePassFloor);
    }
  }

  private Comparison compare(Path wav, Path joined, int channels, int kbps, Duration chunkLength)
      throws Exception {
    long samples = WavFile.sampleFrames(wav);
    var grid = new ChunkGrid(samples, sampleRate(wav), kbps);
    short[] source = pcm(wav);
    short[] decoded = pcm(joined);
    var chunked = new FrameSnr(source, decoded, channels, grid.frameCount());
    var sameSettings =
        new FrameSnr(source, pcm(onePass(wav, kbps, false)), channels, grid.frameCount());
    var defaults = new FrameSnr(source, pcm(onePass(wav, kbps, true)), channels, grid.frameCount());
    double worst = Double.POSITIVE_INFINITY;
    List<Long> seamFrames = new ArrayList<>();
    List<Mp3Chunk> chunks = grid.chunks(chunkLength);
    for (Mp3Chunk chunk : chunks.subList(1, chunks.size())) {
      // A fresh encoder's reservoir and psychoacoustic state settle over the first frames it keeps.
      for (long frame = chunk.firstFrame() - SEAM_BEFORE;
          frame < chunk.firstFrame() + SEAM_AFTER;
          frame++) {
        if (!Double.isNaN(chunked.at(frame))) {
          seamFrames.add(frame);
          worst = Math.min(worst, chunked.at(frame));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: worst seam frame %.2f dB; mean %.3f dB; one pass reservoir off: 1st"
            + " percentile %.2f dB, mean %.3f dB; reservoir on: 1st percentile %.2f dB, mean %.3f dB%n",
        joined.getFileName(),
        worst,
        chunked.mean(),
        sameSettings.percentile(1),
        sameSettings.mean(),
        defaults.percentile(1),
        defaults.mean());
    return new Comparison(decoded.length / channels, chunked, sameSettings, defaults, seamFrames);
  }

  /**
   * Bursts of noise every 130 ms over a quiet noise floor, below 6 kHz (above, LAME drops noise at
   * these rates).
   */
  private Path noiseBursts(int sampleRate) {
    return GeneratedAudio.make(
        new GeneratedAudio.Part(
            dir.resolve("noise-bursts-" + sampleRate + ".wav"),
            "aevalsrc='0.8*(random(0)-0.5)*(0.05+lt(mod(t\\,0.13)\\,0.02))':s="
                + sampleRate
                + ":d=20.5,lowpass=f=6000",
            sampleRate,
            1));
  }

  /** Notes struck every 290 and 470 ms: each starts with a click and decays. */
  private Path struckNotes(int sampleRate) {
    return GeneratedAudio.make(
        new GeneratedAudio.Part(
            dir.resolve("struck-notes-" + sampleRate + ".wav"),
            "aevalsrc='0.6*sin(2*PI*880*t)*exp(-15*mod(t\\,0.29))+0.3*sin(2*PI*220*t)*exp(-8*mod(t+0.1\\,0.47))'"
                + ":s="
                + sampleRate
                + ":d=20.5",
            sampleRate,
            1));
  }

  /** One FFmpeg pass, with FFmpeg's Info frame so that it decodes from sample 0. */
  private Path onePass(Path wav, int kbps, boolean reservoir) {
    Path mp3 = dir.resolve("one-pass-" + (reservoir ? "reservoir" : "no-reservoir") + ".mp3");
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
            "libmp3lame",
            "-b:a",
            kbps + "k",
            "-reservoir",
            reservoir ? "1" : "0",
            "-id3v2_version",
            "0",
            mp3.toString()));
    return mp3;
  }

  /** The audio frames of one pass with the chunks' settings. */
  private byte[] onePassFrames(Path wav, int kbps) throws IOException {
    byte[] file = Files.readAllBytes(onePass(wav, kbps, false));
    return Arrays.copyOfRange(file, LameTagFields.read(file).infoFrameLength(), file.length);
  }

  /** Indices of the frames with the padding bit set, walking frame headers from {@code offset}. */
  private static List<Integer> paddedFrames(byte[] mp3, int offset) {
    List<Integer> padded = new ArrayList<>();
    int unpadded = -1;
    for (int frame = 0, at = offset; at < mp3.length; frame++) {
      boolean padding = (mp3[at + 2] & 0x02) != 0;
      if (unpadded < 0) {
        // CBR: every frame is the first frame's length, plus one byte where padded.
        unpadded = frameLength(mp3, at) - (padding ? 1 : 0);
      }
      if (padding) {
        padded.add(frame);
      }
      at += unpadded + (padding ? 1 : 0);
    }
    return padded;
  }

  /** MPEG-1 layer III only, which is what these tests encode. */
  private static int frameLength(byte[] mp3, int at) {
    int[] kbps = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    int[] rates = {44_100, 48_000, 32_000};
    return 144_000 * kbps[(mp3[at + 2] & 0xF0) >> 4] / rates[(mp3[at + 2] & 0x0C) >> 2]
        + ((mp3[at + 2] & 0x02) >> 1);
  }

  private static ChunkedMp3Join.Settings settings(
      int kbps, Duration chunkLength, BitReservoir reservoir) {
    return new ChunkedMp3Join.Settings(kbps, chunkLength, ENCODERS, reservoir);
  }

  private static int sampleRate(Path wav) throws IOException {
    return WavFile.format(wav).sampleRate();
  }

  /** Decodes with FFmpeg to interleaved 16-bit samples. */
  private short[] pcm(Path file) throws IOException {
    Path raw = dir.resolve(file.getFileName() + ".s16");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            file.toString(),
            "-f",
            "s16le",
            "-c:a",
            "pcm_s16le",
            raw.toString()));
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
    short[] samples = new short[bytes.remaining() / 2];
    bytes.asShortBuffer().get(samples);
    return samples;
  }
}
