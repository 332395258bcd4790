package dev.concat.activities.ffmpeg;

import dev.concat.activities.S3Uri;
import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.workdir.JobWorkDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes every segment to PCM WAV when the segments differ in codec, rate or channels, so the
 * concat demuxer then joins files of one format. Runs one FFmpeg at a time on the activity thread
 * (decoding is fast; the parent-death signal needs the starting thread to wait). A file already
 * decoded by an earlier attempt is kept: it is written under a temporary name and renamed.
 */
final class SegmentNormalizer {
  private final Path ffmpeg;
  private final FfmpegSupervisor supervisor;

  SegmentNormalizer(Path ffmpeg, FfmpegSupervisor supervisor) {
    this.ffmpeg = ffmpeg;
    this.supervisor = supervisor;
  }

  List<Path> toPcm(JobWorkDir dir, List<Path> segments, List<S3Uri> uris, Duration stallLimit, PhaseProgress progress)
      throws IOException, InterruptedException {
    List<Path> decoded = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      Path target = dir.normalized(i);
      if (!Files.isRegularFile(target)) {
        decode(dir, i, segments.get(i), uris.get(i), target, stallLimit, progress);
      }
      decoded.add(target);
    }
    return decoded;
  }

  private void decode(JobWorkDir dir, int index, Path segment, S3Uri uri, Path target, Duration stallLimit,
      PhaseProgress progress) throws IOException, InterruptedException {
    Files.createDirectories(target.getParent());
    Path temp = JobWorkDir.inProgress(target);
    FfmpegExit exit = supervisor.run(dir.jobId(), FfmpegCommand.toPcm(ffmpeg, segment, temp), temp, stallLimit,
        p -> progress.heartbeat(new ConcatHeartbeat("decode", index, p.outTimeMicros())));
    if (!exit.succeeded()) {
      Files.deleteIfExists(temp);
      throw exit.toFailure(dir.jobId() + " (decoding segment " + index + ", " + uri + ")");
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
