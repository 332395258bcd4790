package dev.concat.activities.loudness;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.workdir.WholeFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A chunk's {@link ChunkLoudness} as a JSON file beside the chunk's encoded frames, named after
 * them ({@link #nameFor}), so that whoever joins the chunks merges the chunks' measurements instead
 * of decoding the joined file again.
 */
public final class ChunkLoudnessFile {
  private static final String SUFFIX = ".loudness.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The measurement's name beside the chunk file {@code chunkName}. */
  public static String nameFor(String chunkName) {
    return chunkName + SUFFIX;
  }

  /** The measurement's file beside the chunk file {@code chunk}. */
  public static Path beside(Path chunk) {
    return chunk.resolveSibling(nameFor(chunk.getFileName().toString()));
  }

  /** Writes {@code loudness} to {@code file} whole (renamed into place) or not at all. */
  public static void write(ChunkLoudness loudness, Path file) throws IOException {
    WholeFile.write(file, part -> JSON.writeValue(part.toFile(), loudness));
  }

  /**
   * The measurement in {@code file}; empty when there is none (a chunk encoded by an earlier
   * version) or it does not read: the joined file is then measured itself, slower, never wrong.
   */
  public static Optional<ChunkLoudness> read(Path file) {
    try {
      return Optional.of(JSON.readValue(file.toFile(), ChunkLoudness.class));
    } catch (IOException absentOrUnreadable) {
      return Optional.empty();
    }
  }

  private ChunkLoudnessFile() {}
}
