package dev.concat.contract;

import dev.concat.contract.audio.AudioSpec;
import java.util.List;

/**
 * @param jobId the job id; names the work directory
 * @param segments the segments' S3 URIs in playing order (used to name a bad segment in errors)
 * @param output the output's S3 URI; its extension picks the container and codec
 * @param allowStreamCopy whether the request accepts stream copy when the inputs allow it
 * @param audio encoding, treatments, tags and chapters; null (from a job started before they
 *     existed) means the defaults
 * @param progressToken names the workflow's current attempt in progress reports, or null
 * @param stageChunks true when the workflow can spread a chunked encode over its workers: the host
 *     then stages the chunks' inputs ({@link ConcatOutput#staged()}) instead of encoding them; null
 *     (a job started before spreading existed) or false encodes on this host
 */
public record ConcatInput(
    String jobId,
    List<String> segments,
    String output,
    boolean allowStreamCopy,
    AudioSpec audio,
    String progressToken,
    Boolean stageChunks) {

  public ConcatInput(
      String jobId,
      List<String> segments,
      String output,
      boolean allowStreamCopy,
      AudioSpec audio,
      String progressToken) {
    this(jobId, segments, output, allowStreamCopy, audio, progressToken, null);
  }

  public ConcatInput(
      String jobId,
      List<String> segments,
      String output,
      boolean allowStreamCopy,
      AudioSpec audio) {
    this(jobId, segments, output, allowStreamCopy, audio, null);
  }

  public ConcatInput(String jobId, List<String> segments, String output, boolean allowStreamCopy) {
    this(jobId, segments, output, allowStreamCopy, AudioSpec.DEFAULT);
  }

  /** Whether the host stages a chunked encode's chunks for other workers instead of encoding. */
  public boolean stagesChunks() {
    return Boolean.TRUE.equals(stageChunks);
  }

  public AudioSpec audioOrDefault() {
    return audio == null ? AudioSpec.DEFAULT : audio;
  }
}
