package dev.concat.activities;

import dev.concat.activities.chunk.BitReservoir;
import dev.concat.activities.chunk.ChunkGrid;
import dev.concat.activities.chunk.KeptRun;
import dev.concat.activities.chunk.Mp3Chunk;
import dev.concat.activities.chunk.PcmPieces;
import dev.concat.activities.storage.CopySource;
import dev.concat.activities.storage.StagingArea;
import dev.concat.contract.ChunkTask;
import dev.concat.contract.StagedChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spread encode's run stored whole beside its chunks: the frames its chunks keep, joined as the
 * host joins them ({@link KeptRun}), under a name that carries the chunks it holds and the SHA-256
 * of its bytes. The job's host checks it against its output ({@link StagedRunCopies}), and the
 * upload has the store copy those bytes instead of sending them again.
 */
final class StagedRun {
  private static final Logger log = LoggerFactory.getLogger(StagedRun.class);

  static final String PREFIX = "run-";

  private static final Pattern NAME =
      Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,9})-(\\d{1,9})-([0-9a-f]{64})\\.mp3");

  /**
   * What a run's name says.
   *
   * @param first the first chunk it holds
   * @param end one past the last
   * @param sha256 of its bytes
   */
  record Name(int first, int end, String sha256) {
    static Optional<Name> parse(String name) {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        return Optional.empty();
      }
      return Optional.of(
          new Name(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
    }

    String text() {
      return PREFIX + first + "-" + end + "-" + sha256 + ".mp3";
    }
  }

  private StagedRun() {}

  /** The chunk as its encoder saw it: its input WAV starts at its own first sample. */
  static Mp3Chunk chunk(StagedChunk staged) {
    return new Mp3Chunk(
        staged.index(),
        staged.firstFrame(),
        staged.endFrame(),
        0,
        staged.inputSamples(),
        staged.framesToDrop(),
        staged.last());
  }

  /**
   * Joins the task's chunks, encoded into {@code files}, and stores them as one object, unless that
   * is shorter than a copy can be. The run's last chunk is in it when it ends the stream, or when
   * the next run's first chunk is already stored: its worker went first, and what that chunk
   * borrows from the bit reservoir can be carried. A failure only costs the upload the bytes it
   * then sends: it is logged, not thrown.
   *
   * @param scratch a directory of this run's own
   */
  static void store(ChunkTask task, List<Path> files, StagingArea staging, Path scratch) {
    Path out = scratch.resolve("run.mp3");
    try {
      Optional<KeptRun.Written> written =
          KeptRun.write(
              task.chunks().stream().map(StagedRun::chunk).toList(),
              files,
              next(task, staging, scratch.resolve("next.mp3")),
              task.reservoir() ? BitReservoir.CARRIED : BitReservoir.OFF,
              out);
      if (written.isEmpty() || written.get().bytes() < CopySource.MIN_BYTES) {
        log.info(
            "job {}: chunks {}-{} not stored as one run: {} bytes are too few to copy",
            task.jobId(),
            task.chunks().get(0).index(),
            task.chunks().get(task.chunks().size() - 1).index(),
            written.map(KeptRun.Written::bytes).orElse(0L));
        return;
      }
      KeptRun.Written run = written.get();
      String name = new Name(run.first(), run.end(), run.sha256()).text();
      staging.put(run.first(), name, out);
      log.info(
          "job {}: stored chunks {}-{} as one run of {} bytes at {}",
          task.jobId(),
          run.first(),
          run.end() - 1,
          run.bytes(),
          staging.uri(name));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "job {}: could not store chunks {}-{} as one run; the upload will send their bytes: {}",
          task.jobId(),
          task.chunks().get(0).index(),
          task.chunks().get(task.chunks().size() - 1).index(),
          e.toString());
    } finally {
      deleteQuietly(out);
      deleteQuietly(scratch.resolve("next.mp3"));
    }
  }

  /**
   * The next run's first chunk, fetched into {@code target}, when it is stored already (under one
   * name: the frames of one encode); empty when this run ends the stream, or its worker is not that
   * far.
   */
  private static Optional<KeptRun.Next> next(ChunkTask task, StagingArea staging, Path target)
      throws IOException {
    StagedChunk last = task.chunks().get(task.chunks().size() - 1);
    if (last.last()) {
      return Optional.empty();
    }
    int index = last.index() + 1;
    List<String> stored =
        staging.sizes(PcmPieces.namePrefix(index)).keySet().stream()
            .filter(name -> name.endsWith(".mp3"))
            .toList();
    if (stored.size() != 1
        || !staging.getIfStaged(stored.get(0), target, staging.chunk(index, stored.get(0)))) {
      return Optional.empty();
    }
    // The next chunk's encoder started its pre-roll before the chunk, as the grid cuts every chunk.
    int preRoll = (int) Math.min(last.endFrame(), ChunkGrid.preRoll(task.sampleRate()));
    return Optional.of(new KeptRun.Next(target, preRoll));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", file, e.toString());
    }
  }
}
