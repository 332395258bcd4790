package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a host puts the PCM pieces of a chunked encode ({@link PcmPieces}) for encoders on other
 * hosts to read: the job's staging prefix in S3, in a worker.
 */
public interface PieceStore {
  /** Where the pieces go, as the encoders are told it. */
  String prefix();

  /** Whether {@code name} is stored already with {@code bytes}, as an earlier attempt left it. */
  boolean holds(String name, long bytes) throws IOException;

  /**
   * Stores {@code file}, which belongs to chunk {@code chunk}, as {@code name}, whole or not at
   * all.
   */
  void put(int chunk, String name, Path file) throws IOException;
}
