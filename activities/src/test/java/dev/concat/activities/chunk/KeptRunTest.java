package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.testing.GeneratedAudio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's kept frames, written by its worker alone, are the joined file's bytes for those chunks:
 * what the output's upload copies must be what the host's join wrote, the bit reservoir carried
 * across each seam. Struck notes, whose attacks borrow from the reservoir, in 3 s chunks.
 */
class KeptRunTest {
  private static final int KBPS = 96;
  private static final Duration CHUNK = Duration.ofSeconds(3);

  @TempDir Path dir;
  private byte[] joined;
  private ChunkedMp3Join.Result result;
  private List<Mp3Chunk> chunks;
  private Path wav;
  private Mp3ChunkEncoder encoder;

  @BeforeEach
  void join() throws Exception {
    wav =
        GeneratedAudio.make(
            new GeneratedAudio.Part(
                dir.resolve("notes.wav"),
                "aevalsrc='0.6*sin(2*PI*880*t)*exp(-15*mod(t\\,0.29))"
                    + "+0.3*sin(2*PI*220*t)*exp(-8*mod(t+0.1\\,0.47))':s=44100:d=14.5",
                44_100,
                1));
    Path output = dir.resolve("joined.mp3");
    result =
        new ChunkedMp3Join(
                Path.of("ffmpeg"),
                new ProcessLauncher(Map.of()),
                new ChunkedMp3Join.Settings(KBPS, CHUNK, 2, BitReservoir.CARRIED))
            .join(wav, output, dir);
    joined = Files.readAllBytes(output);
    chunks = new ChunkGrid(WavFile.sampleFrames(wav), 44_100, KBPS).chunks(CHUNK);
    encoder = new Mp3ChunkEncoder(Path.of("ffmpeg"), new ProcessLauncher(Map.of()), KBPS);
    assertEquals(chunks.size(), result.chunks(), "the join's chunks are the grid's");
  }

  @Test
  void aRunThatDoesNotEndTheStreamLeavesOutItsLastChunk() throws IOException {
    KeptRun.Written run = write(1, 3, Optional.empty()).orElseThrow();

    assertEquals(List.of(1, 2), List.of(run.first(), run.end()), "chunks written");
    assertArrayEquals(joinedChunks(1, 2), Files.readAllBytes(dir.resolve("run.mp3")));
  }

  /**
   * With the next run's first chunk at hand, the run keeps its last chunk, with what the next one
   * borrows carried into it: the join's bytes, which differ from the chunk's own frames there.
   */
  @Test
  void theNextRunsFirstChunkLetsTheRunKeepItsLast() throws IOException {
    int seam = firstBorrowingSeam();
    Mp3Chunk next = chunks.get(seam);
    KeptRun.Written run =
        write(seam - 1, seam, Optional.of(new KeptRun.Next(file(next), next.framesToDrop())))
            .orElseThrow();

    assertEquals(List.of(seam - 1, seam), List.of(run.first(), run.end()), "chunks written");
    byte[] written = Files.readAllBytes(dir.resolve("run.mp3"));
    assertArrayEquals(joinedChunks(seam - 1, seam), written);
    Mp3Chunk last = chunks.get(seam - 1);
    Mp3Frames own = Mp3Frames.read(file(last));
    ByteBuffer uncarried = own.frames(last.framesToDrop(), last.keptEnd(own.count(), file(last)));
    byte[] lastOwn = new byte[uncarried.remaining()];
    uncarried.get(lastOwn);
    assertFalse(Arrays.equals(lastOwn, written), "the carried bytes are in the run");
  }

  /** The first chunk whose first kept frame borrows from the bit reservoir, past chunk 0. */
  private int firstBorrowingSeam() throws IOException {
    for (int c = 1; c < chunks.size(); c++) {
      Mp3Chunk chunk = chunks.get(c);
      if (Mp3Frames.read(file(chunk)).mainData(chunk.framesToDrop()).begin() > 0) {
        return c;
      }
    }
    throw new AssertionError("no seam borrows: this material does not test the carry");
  }

  @Test
  void aRunThatEndsTheStreamKeepsEveryChunk() throws IOException {
    int n = chunks.size();
    KeptRun.Written run = write(n - 2, n, Optional.empty()).orElseThrow();

    assertEquals(List.of(n - 2, n), List.of(run.first(), run.end()), "chunks written");
    assertArrayEquals(joinedChunks(n - 2, n), Files.readAllBytes(dir.resolve("run.mp3")));
  }

  private Optional<KeptRun.Written> write(int from, int to, Optional<KeptRun.Next> next)
      throws IOException {
    List<Mp3Chunk> run = chunks.subList(from, to);
    List<Path> encoded = run.stream().map(this::file).toList();
    return KeptRun.write(run, encoded, next, BitReservoir.CARRIED, dir.resolve("run.mp3"));
  }

  /** The joined file's bytes from chunk {@code from}'s first frame to chunk {@code to}'s. */
  private byte[] joinedChunks(int from, int to) {
    long[] offsets = result.frameOffsets();
    long start = offsets[(int) chunks.get(from).firstFrame()];
    long end = to == chunks.size() ? joined.length : offsets[(int) chunks.get(to).firstFrame()];
    return Arrays.copyOfRange(joined, (int) start, (int) end);
  }

  /** The chunk encoded by a worker's encoder (the join deleted its own chunk files). */
  private Path file(Mp3Chunk chunk) {
    Path mp3 = dir.resolve("worker-chunk-" + chunk.index() + ".mp3");
    try {
      if (!Files.exists(mp3)) {
        encoder.encode(wav, 44_100, chunk, BitReservoir.CARRIED, mp3);
      }
      return mp3;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
