package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.workdir.ChunkCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each chunk's encoder meters its own frames; merged, the chunks' measurements are the finished
 * file's as the ranged meter reads it from the file. A chunk's own decode differs from the joined
 * file's only where the frame before it overlaps, so the readings agree within a hundredth of a LU,
 * not to the last bit.
 */
class MeasuredByChunksTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final int RATE = 44_100;
  private static final Duration CHUNK = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void theChunksMeasurementsMergedMeasureTheFinishedFile() throws Exception {
    Path wav = struckNotes();
    Path chunks = Files.createDirectories(dir.resolve("chunks"));
    ChunkedMp3Join.Result result = join(wav, dir.resolve("joined.mp3"), chunks);

    assertTrue(result.chunks() >= 5, result.chunks() + " chunks: too few seams");
    ChunkLoudness merged = result.loudness();
    assertNotNull(merged, "every chunk measured by its encoder");
    ChunkLoudness finished = finished(dir.resolve("joined.mp3"), result);
    System.out.printf(
        Locale.ROOT,
        "chunks' measurements merged: %.6f LUFS, %.6f dBTP, %.6f LU; the joined file: %.6f LUFS,"
            + " %.6f dBTP, %.6f LU%n",
        merged.integratedLufs(),
        merged.truePeakDb(),
        merged.loudnessRangeLu(),
        finished.integratedLufs(),
        finished.truePeakDb(),
        finished.loudnessRangeLu());
    assertEquals(finished.integratedLufs(), merged.integratedLufs(), 0.01);
    assertEquals(finished.truePeakDb(), merged.truePeakDb(), 0.05);
    assertEquals(finished.loudnessRangeLu(), merged.loudnessRangeLu(), 0.05);
    assertEquals(List.of(), files(chunks), "chunks and measurements deleted once joined");
  }

  private ChunkedMp3Join.Result join(Path wav, Path output, Path chunks) throws Exception {
    return new ChunkedMp3Join(
            FFMPEG,
            new ProcessLauncher(Map.of()),
            new ChunkedMp3Join.Settings(96, CHUNK, 2, BitReservoir.CARRIED))
        .join(
            GrowingWav.whole(wav),
            0,
            output,
            chunks,
            ChunkCache.NONE,
            new byte[0],
            new EncoderCores(2),
            s -> {});
  }

  private ChunkLoudness finished(Path mp3, ChunkedMp3Join.Result result) throws Exception {
    return new JoinedMp3Meter(new ChunkLoudnessMeter(FFMPEG, new ProcessLauncher(Map.of())))
        .measure(mp3, Mp3Timeline.of(result), RATE, 3L * RATE, new EncoderCores(2), s -> {});
  }

  private Path struckNotes() {
    return GeneratedAudio.make(
        new GeneratedAudio.Part(
            dir.resolve("notes.wav"),
            "aevalsrc='0.6*sin(2*PI*880*t)*exp(-15*mod(t\\,0.29))+0.3*sin(2*PI*220*t)*exp(-8*mod(t+0.1\\,0.47))'"
                + ":s=44100:d=20.5",
            RATE,
            1));
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
