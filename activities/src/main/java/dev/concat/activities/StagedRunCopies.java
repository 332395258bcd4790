package dev.concat.activities;

import dev.concat.activities.chunk.KeptRun;
import dev.concat.activities.chunk.Mp3Timeline;
import dev.concat.activities.ffmpeg.Mp3FrameScan;
import dev.concat.activities.storage.CopySource;
import dev.concat.activities.storage.StagingArea;
import dev.concat.contract.StagedChunk;
import dev.concat.contract.StagedChunks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a spread encode's staged runs ({@link StagedRun}) the joined output holds byte for byte:
 * each run's range of the output is found from the output's frames and the chunks' first frames,
 * and read back and hashed, so that the upload copies only what is really the same (a chunk the
 * host encoded again, or a run from another encode of the job, is sent instead).
 */
final class StagedRunCopies {
  private static final Logger log = LoggerFactory.getLogger(StagedRunCopies.class);

  private static final int BUFFER_BYTES = 1 << 20;

  private StagedRunCopies() {}

  static List<CopySource> find(String jobId, StagingArea staging, StagedChunks staged, Path output)
      throws IOException {
    Map<String, Long> runs = staging.sizes(StagedRun.PREFIX);
    if (runs.isEmpty()) {
      return List.of();
    }
    Optional<Mp3Timeline> timeline = Mp3FrameScan.timeline(output);
    if (timeline.isEmpty()) {
      return List.of();
    }
    List<StagedChunk> chunks = staged.chunks();
    List<CopySource> copies = new ArrayList<>();
    long verifiedBytes = 0;
    try (FileChannel file = FileChannel.open(output, StandardOpenOption.READ)) {
      for (var run : runs.entrySet()) {
        Optional<StagedRun.Name> name = StagedRun.Name.parse(run.getKey());
        if (name.isEmpty()
            || name.get().first() < 0
            || name.get().end() > chunks.size()
            || name.get().first() >= name.get().end()) {
          continue;
        }
        long start = offset(timeline.get(), chunks, name.get().first());
        long end = offset(timeline.get(), chunks, name.get().end());
        if (end - start != run.getValue()
            || !name.get().sha256().equals(sha256(file, start, end))) {
          log.info(
              "job {}: the staged run {} is not the output's bytes {}-{}; they are sent",
              jobId,
              run.getKey(),
              start,
              end);
          continue;
        }
        copies.add(new CopySource(start, end, staging.uri(run.getKey())));
        verifiedBytes += end - start;
      }
    }
    log.info(
        "job {}: {} staged runs hold {} of the output's {} bytes",
        jobId,
        copies.size(),
        verifiedBytes,
        timeline.get().bytes());
    return copies;
  }

  /** Where chunk {@code index} starts in the output, or its end past the last chunk. */
  private static long offset(Mp3Timeline timeline, List<StagedChunk> chunks, int index) {
    if (index == chunks.size()) {
      return timeline.bytes();
    }
    long frame = chunks.get(index).firstFrame();
    long[] offsets = timeline.frameOffsets();
    return frame < offsets.length ? offsets[(int) frame] : timeline.bytes();
  }

  private static String sha256(FileChannel file, long start, long end) throws IOException {
    MessageDigest digest = KeptRun.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    for (long position = start; position < end; ) {
      buffer.clear().limit((int) Math.min(BUFFER_BYTES, end - position));
      int read = file.read(buffer, position);
      if (read < 0) {
        return "";
      }
      buffer.flip();
      digest.update(buffer);
      position += read;
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
