package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host stages the pieces of a join while FFmpeg still writes its PCM: real FFmpeg writing a WAV
 * at four times real time, read as it grows.
 */
class EarlyPiecesTest {
  private static final int RATE = 44_100;
  private static final int SECONDS = 12;
  private static final Duration CHUNK = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void piecesBeforeTheEndAreStagedWhileTheDecodeRunsAndEqualTheWholeFilesPieces() throws Exception {
    Path wav = dir.resolve("join.wav");
    Process ffmpeg = decoding(wav);
    var store = new RecordingStore(dir.resolve("store"), ffmpeg);
    GrowingWav source = GrowingWav.writing(wav);
    var stager = new EarlyPieces(128, CHUNK, BitReservoir.CARRIED);
    List<PcmPieces.Piece> told = new CopyOnWriteArrayList<>();
    CompletableFuture<EarlyPieces.Staged> staged =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stager.stage(
                    source, (long) SECONDS * RATE, store, dir.resolve("scratch"), told::add);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "FFmpeg finished");
    assertEquals(0, ffmpeg.exitValue(), "FFmpeg's exit");
    source.finished();
    EarlyPieces.Staged early = staged.get(60, TimeUnit.SECONDS);
    List<String> names = early.inStore().stream().map(PcmPieces.Piece::inputName).toList();

    var whole = new PcmPieces(wav, 128, CHUNK, BitReservoir.CARRIED);
    List<String> wholeNames = whole.pieces().stream().map(PcmPieces.Piece::inputName).toList();
    assertEquals(wholeNames.subList(0, names.size()), names, "the first pieces");
    assertTrue(
        names.size() >= wholeNames.size() - 2,
        names.size() + " of " + wholeNames.size() + " staged early");
    assertEquals(names.size(), early.put(), "pieces put, none there before");
    assertEquals(early.inStore(), told, "each piece told as it was staged");
    assertTrue(store.whileDecoding.get() > 0, "pieces put while FFmpeg still wrote the join");
    for (PcmPieces.Piece piece : whole.pieces().subList(0, names.size())) {
      Path cut = dir.resolve("whole-" + piece.inputName());
      whole.write(piece, cut);
      assertArrayEquals(
          Files.readAllBytes(cut),
          Files.readAllBytes(store.dir.resolve(piece.inputName())),
          "piece " + piece.chunk().index() + " byte for byte");
    }
  }

  @Test
  void aPieceTheStoreRefusesFailsTheStagingAndLeavesNoScratchFiles() throws Exception {
    Path wav = dir.resolve("join.wav");
    Process ffmpeg = decoding(wav);
    assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "FFmpeg finished");
    GrowingWav source = GrowingWav.whole(wav);
    var store =
        new RecordingStore(dir.resolve("store"), ffmpeg) {
          @Override
          public void put(int chunk, String name, Path file) throws IOException {
            if (chunk == 2) {
              throw new IOException("S3 refused piece " + chunk);
            }
            super.put(chunk, name, file);
          }
        };
    Path scratch = dir.resolve("scratch");

    var e =
        assertThrows(
            IOException.class,
            () ->
                new EarlyPieces(128, CHUNK, BitReservoir.CARRIED)
                    .stage(source, (long) SECONDS * RATE, store, scratch, piece -> {}));
    assertEquals("S3 refused piece 2", e.getMessage());
    assertFalse(Files.exists(scratch), "the scratch files are gone");
  }

  /** FFmpeg writing {@link #SECONDS} of stereo noise as the join's decode writes it. */
  private static Process decoding(Path wav) throws IOException {
    return new ProcessBuilder(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-y",
                "-loglevel",
                "error",
                "-readrate",
                "4",
                "-f",
                "lavfi",
                "-i",
                "anoisesrc=d=" + SECONDS + ":r=" + RATE + ":a=0.3",
                "-ac",
                "2",
                "-c:a",
                "pcm_s16le",
                "-rf64",
                "auto",
                "-f",
                "wav",
                wav.toString()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /**
   * Keeps each piece in a folder and counts those put before the decode ended; puts run at once.
   */
  private static class RecordingStore implements PieceStore {
    private final Path dir;
    private final Process decode;
    private final AtomicInteger whileDecoding = new AtomicInteger();

    RecordingStore(Path dir, Process decode) throws IOException {
      this.dir = Files.createDirectories(dir);
      this.decode = decode;
    }

    @Override
    public String prefix() {
      return dir.toString();
    }

    @Override
    public boolean holds(String name, long bytes) throws IOException {
      Path file = dir.resolve(name);
      return Files.isRegularFile(file) && Files.size(file) == bytes;
    }

    @Override
    public void put(int chunk, String name, Path file) throws IOException {
      if (decode.isAlive()) {
        whileDecoding.incrementAndGet();
      }
      Files.copy(file, dir.resolve(name));
    }
  }
}
