package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.file.Path;

/** How {@link ChunkEncoders} names, encodes and decodes the chunks of one codec. */
interface ChunkCodec<C extends GridChunk> {
  /** The chunk's file in the store, named by what it encodes. */
  Path file(C chunk) throws IOException;

  /** Encodes the chunk into {@code output}, stopping its FFmpeg if the thread is interrupted. */
  void encode(C chunk, Path output) throws IOException, InterruptedException;

  /** FFmpeg's demuxer for a chunk's file. */
  String demuxer();

  /** The samples FFmpeg decodes from a chunk's file before its encoder's first input sample. */
  int decodedDelay();
}
