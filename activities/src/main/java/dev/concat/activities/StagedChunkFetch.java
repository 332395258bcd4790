package dev.concat.activities;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.storage.StagingArea;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a spread encode's chunks back to the job's host: each chunk's frames, from its staged
 * output, into the chunk directory under the name a local chunked encode gives that chunk's file,
 * so that the join that follows finds every chunk and encodes none; and beside them each chunk's
 * loudness measurement where its encoder stored one, so that the join measures nothing again.
 */
final class StagedChunkFetch {
  private static final Logger log = LoggerFactory.getLogger(StagedChunkFetch.class);

  /** Heartbeat details while the chunks are fetched: chunks fetched so far. */
  record Fetched(String step, int chunks) {}

  static void fetch(
      String jobId,
      StagingArea staging,
      StagedChunks staged,
      Path chunksDir,
      PhaseProgress progress) {
    try {
      Files.createDirectories(chunksDir);
      int done = 0;
      int kept = 0;
      int measured = 0;
      for (StagedChunk chunk : staged.chunks()) {
        // Checks the name before it becomes a path: a plain name, never a path of its own.
        FailureSubject about = staging.chunk(chunk.index(), chunk.outputKey());
        Path file = chunksDir.resolve(chunk.outputKey());
        if (Files.isRegularFile(file)) {
          kept++;
        } else {
          staging.get(chunk.outputKey(), file, about);
        }
        String loudness = ChunkLoudnessFile.nameFor(chunk.outputKey());
        if (Files.isRegularFile(chunksDir.resolve(loudness))
            || staging.getIfStaged(loudness, chunksDir.resolve(loudness), about)) {
          measured++;
        }
        progress.heartbeat(new Fetched("fetch", ++done));
      }
      log.info(
          "job {}: fetched {} encoded chunks from {} ({} were here from an earlier attempt), {} of"
              + " them measured by their encoders",
          jobId,
          done - kept,
          staging.prefix(),
          kept,
          measured);
    } catch (IOException e) {
      throw new UncheckedIOException(
          FailureSubject.job(jobId)
              .describe(
                  "could not fetch the staged chunks from "
                      + staging.prefix()
                      + " into "
                      + chunksDir),
          e);
    }
  }

  private StagedChunkFetch() {}
}
