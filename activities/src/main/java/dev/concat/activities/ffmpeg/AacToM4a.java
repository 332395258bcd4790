package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.AacChunkGrid;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Puts a chunked encode's joined AAC stream (ADTS) in the M4A with the one-pass file's tags ({@link
 * JoinCommand#m4aFromAdts}), and checks that its edit list plays exactly the join's samples ({@link
 * Mp4GaplessTag}).
 */
final class AacToM4a {
  private final FfmpegSupervisor supervisor;

  AacToM4a(FfmpegSupervisor supervisor) {
    this.supervisor = supervisor;
  }

  /** Writes {@code partial} from {@code adts}, which holds {@code samples} after its priming. */
  void write(
      String jobId,
      JoinCommand join,
      Path adts,
      long samples,
      Encoding encoding,
      Path partial,
      Duration stallLimit)
      throws IOException, InterruptedException {
    var grid = new AacChunkGrid(samples, encoding.sampleRate());
    FfmpegExit exit =
        supervisor.run(
            jobId,
            join.m4aFromAdts(adts, grid.frameCount(), grid.lastFrameSamples(), encoding, partial),
            partial,
            stallLimit,
            p -> {});
    if (!exit.succeeded()) {
      throw exit.toFailure(jobId + " (putting the chunks' AAC in the M4A)");
    }
    Mp4GaplessTag.Gapless gapless = Mp4GaplessTag.apply(partial);
    if (gapless.samples() != samples || gapless.priming() != AacChunkGrid.PRIMING) {
      throw new IOException(
          "job "
              + jobId
              + ": the M4A plays "
              + gapless.samples()
              + " samples after "
              + gapless.priming()
              + " of priming; the chunks hold "
              + samples
              + " after "
              + AacChunkGrid.PRIMING);
    }
  }
}
