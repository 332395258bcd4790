package dev.concat.activities.loudness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A chunk's {@link ChunkLoudness} as a JSON file beside the chunk's encoded frames, named after
 * them ({@link #nameFor}), so that whoever joins the chunks reads the programme's measurement
 * instead of decoding the joined file again.
 */
public final class ChunkLoudnessFile {
  private static final String SUFFIX = ".loudness.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The measurement's name beside the chunk file {@code chunkName}. */
  public static String nameFor(String chunkName) {
    return chunkName + SUFFIX;
  }

  public static void write(ChunkLoudness loudness, Path file) throws IOException {
    JSON.writeValue(file.toFile(), loudness);
  }

  /**
   * The programme's measurement merged from every chunk measurement in {@code dir}; empty when they
   * leave out or repeat a gating block of a programme of {@code samples} at {@code sampleRate} (a
   * chunk measured by no one, or a file of another join), or one does not read: the joined file is
   * then measured itself, which is slower, never wrong.
   */
  public static Optional<ChunkLoudness> programme(Path dir, long samples, int sampleRate) {
    List<ChunkLoudness> chunks = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(SUFFIX)) {
          chunks.add(JSON.readValue(file.toFile(), ChunkLoudness.class));
        }
      }
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    if (chunks.isEmpty()) {
      return Optional.empty();
    }
    ChunkLoudness merged;
    try {
      merged = ChunkLoudness.merged(chunks);
    } catch (IllegalArgumentException gapOrOverlap) {
      return Optional.empty();
    }
    GatingBlocks blocks = merged.blocks();
    boolean whole =
        blocks.firstBlock() == 0 && blocks.endBlock() == GatingBlocks.count(samples, sampleRate);
    return whole ? Optional.of(merged) : Optional.empty();
  }

  private ChunkLoudnessFile() {}
}
