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
 */
public record ConcatInput(
    String jobId,
    List<String> segments,
    String output,
    boolean allowStreamCopy,
    AudioSpec audio,
    String progressToken) {

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

  public AudioSpec audioOrDefault() {
    return audio == null ? AudioSpec.DEFAULT : audio;
  }
}
