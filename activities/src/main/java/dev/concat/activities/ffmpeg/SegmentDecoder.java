package dev.concat.activities.ffmpeg;

import dev.concat.activities.execution.PhaseProgress;
import dev.concat.activities.ffmpeg.FfmpegCommand.PcmDecode;
import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.FailureType;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.SilenceTrim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Decodes every segment to PCM WAV at the output's rate and channels, so that the join is
 * sample-exact and each segment's length is known to the sample. Segments whose decoder does not
 * return the producer's length are fitted to their container's duration; silence at the ends is
 * trimmed only when the job asks. Runs on the activity thread (the parent-death signal needs the
 * starting thread to wait). A file decoded by an earlier attempt on this host is kept.
 */
final class SegmentDecoder {
  /** Inputs per FFmpeg process: one start per batch instead of one per segment. */
  private static final int BATCH = 32;

  /**
   * Codecs fitted to their container's stated duration: FFmpeg decodes AAC in MP4 with the
   * encoder's end padding (about 20 ms too long) and Vorbis a few samples short.
   */
  private static final Set<String> FITTED = Set.of("aac", "vorbis");

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final FfmpegSupervisor supervisor;

  SegmentDecoder(Path ffmpeg, Ffprobe ffprobe, FfmpegSupervisor supervisor) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.supervisor = supervisor;
  }

  /**
   * Returns each segment's decoded length in samples; the files are at {@code dir.normalized(i)}.
   */
  List<Long> decode(
      JobWorkDir dir,
      List<ProbedSegment> segments,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.normalized(0).getParent());
    // Trimming reverses each segment in memory to find its trailing silence: one at a time.
    int batchSize = audio.trimSilence() == null ? BATCH : 1;
    List<ProbedSegment> batch = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      if (!Files.isRegularFile(dir.normalized(i))) {
        batch.add(segments.get(i));
      }
      if (batch.size() == batchSize || (i == segments.size() - 1 && !batch.isEmpty())) {
        decodeBatch(dir, batch, audio, stallLimit, progress);
        batch.clear();
      }
    }
    List<Long> frames = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      frames.add(WavFile.sampleFrames(dir.normalized(i)));
    }
    return frames;
  }

  private void decodeBatch(
      JobWorkDir dir,
      List<ProbedSegment> batch,
      AudioSpec audio,
      Duration stallLimit,
      PhaseProgress progress)
      throws IOException, InterruptedException {
    List<PcmDecode> decodes = new ArrayList<>(batch.size());
    for (ProbedSegment probed : batch) {
      Segment segment = probed.segment();
      String filter = join(fit(dir.jobId(), probed), trim(audio.trimSilence()));
      decodes.add(
          new PcmDecode(
              segment.file(), WholeFile.inProgress(dir.normalized(segment.index())), filter));
    }
    Segment first = batch.get(0).segment();
    int last = batch.get(batch.size() - 1).segment().index();
    Path watched = decodes.get(0).output();
    FfmpegExit exit =
        supervisor.run(
            dir.jobId(),
            FfmpegCommand.toPcm(ffmpeg, decodes, audio.encoding()),
            watched,
            stallLimit,
            p ->
                progress.heartbeat(
                    new ConcatHeartbeat("decode", first.index(), p.outTimeMicros())));
    if (!exit.succeeded()) {
      for (PcmDecode decode : decodes) {
        Files.deleteIfExists(decode.output());
      }
      String which =
          first.index() == last
              ? "segment " + first.index() + ", " + first.uri()
              : "segments " + first.index() + "-" + last;
      throw exit.toFailure(dir.jobId() + " (decoding " + which + ")");
    }
    for (int k = 0; k < batch.size(); k++) {
      Files.move(
          decodes.get(k).output(),
          dir.normalized(batch.get(k).segment().index()),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Cuts or pads the decoded audio to the container's stated duration, in the input's samples. */
  private String fit(String jobId, ProbedSegment segment) throws IOException {
    AudioProbe probe = segment.probe();
    if (!FITTED.contains(probe.codec())) {
      return null;
    }
    OptionalDouble stated;
    try {
      stated = ffprobe.streamDuration(segment.segment().file());
    } catch (UnusableAudioException e) {
      throw FailureType.INVALID_SEGMENT.failure(
          segment.segment().subject(jobId).describe("cannot be read: " + e.getMessage()));
    }
    if (stated.isEmpty()) {
      return null;
    }
    long samples = Math.round(stated.getAsDouble() * probe.sampleRate());
    return "atrim=end_sample=" + samples + ",apad=whole_len=" + samples;
  }

  /**
   * Silence removal from the start, then the same on the reversed audio for the end; peak
   * detection, so no quiet onset is cut.
   */
  private static String trim(SilenceTrim trim) {
    if (trim == null) {
      return null;
    }
    String remove =
        String.format(
            Locale.ROOT,
            "silenceremove=start_periods=1:start_threshold=%.1fdB:detection=peak",
            trim.thresholdDb());
    return remove + ",areverse," + remove + ",areverse";
  }

  private static String join(String first, String second) {
    if (first == null) {
      return second;
    }
    return second == null ? first : first + "," + second;
  }
}
