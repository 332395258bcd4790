package dev.concat.contract;

import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import java.util.List;

/**
 * A job: join {@code segments}, in order, into {@code output}. This is the JSON contract any
 * Temporal client uses to start {@code ConcatWorkflow}; only the first three fields are required,
 * and a request without the later ones means what it meant before they existed.
 *
 * @param jobId the job id, also the workflow id
 * @param segments the inputs' S3 URIs in playing order
 * @param output the output's S3 URI; {@code .mp3} or {@code .m4a}
 * @param allowStreamCopy join without re-encoding when all inputs share codec, rate and channels
 *     and match the output; MP3 copy leaves a short gap at every join (default false)
 * @param timeouts per-job timeouts; null means all defaults
 * @param encoding bit rate, sample rate and channels of the output; null means 128 kb/s, 44.1 kHz,
 *     stereo
 * @param loudness normalise to this loudness and true-peak ceiling; null means no normalisation,
 *     {@code {}} means -16 LUFS and -1 dBTP
 * @param trimSilence trim silence at the start and end of every segment; null means keep it
 * @param gapMs silence inserted between segments, in milliseconds; null means none
 * @param crossfadeMs overlap of consecutive segments, in milliseconds; null means none
 * @param metadata title, artist, album, episode number and cover image; null means no tags
 * @param chapters chapters, each starting at a segment; null means none
 * @param overwrite replace an object already at {@code output} that this job did not write; null
 *     means no, and the job fails with {@code OutputExists} before downloading
 * @param outputObject how the output object is stored: Cache-Control, Content-Disposition, storage
 *     class, encryption, tags, metadata, expected bucket owner; null means the worker's defaults
 */
public record ConcatRequest(
    String jobId,
    List<String> segments,
    String output,
    Boolean allowStreamCopy,
    JobTimeouts timeouts,
    Encoding encoding,
    Loudness loudness,
    SilenceTrim trimSilence,
    Integer gapMs,
    Integer crossfadeMs,
    EpisodeMetadata metadata,
    List<Chapter> chapters,
    Boolean overwrite,
    OutputObject outputObject) {

  /**
   * A request for job {@code jobId}; every other field starts absent. Set the required {@link
   * Builder#segments} and {@link Builder#output}, and whichever of the rest the job needs.
   */
  public static Builder builder(String jobId) {
    return new Builder().jobId(jobId);
  }

  /** A builder holding every field of this request, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .jobId(jobId)
        .segments(segments)
        .output(output)
        .allowStreamCopy(allowStreamCopy)
        .timeouts(timeouts)
        .encoding(encoding)
        .loudness(loudness)
        .trimSilence(trimSilence)
        .gapMs(gapMs)
        .crossfadeMs(crossfadeMs)
        .metadata(metadata)
        .chapters(chapters)
        .overwrite(overwrite)
        .outputObject(outputObject);
  }

  public boolean streamCopyAllowed() {
    return Boolean.TRUE.equals(allowStreamCopy);
  }

  public JobTimeouts effectiveTimeouts() {
    return timeouts == null ? JobTimeouts.DEFAULTS : timeouts.withDefaults();
  }

  /** What the request asks of the audio, defaults applied. */
  public AudioSpec audio() {
    return new AudioSpec(
        encoding,
        loudness,
        trimSilence,
        gapMs == null ? 0 : gapMs,
        crossfadeMs == null ? 0 : crossfadeMs,
        metadata,
        chapters);
  }

  /** Sets a request's fields by name; a field never set stays null, which means its default. */
  public static final class Builder {
    private String jobId;
    private List<String> segments;
    private String output;
    private Boolean allowStreamCopy;
    private JobTimeouts timeouts;
    private Encoding encoding;
    private Loudness loudness;
    private SilenceTrim trimSilence;
    private Integer gapMs;
    private Integer crossfadeMs;
    private EpisodeMetadata metadata;
    private List<Chapter> chapters;
    private Boolean overwrite;
    private OutputObject outputObject;

    private Builder() {}

    public Builder jobId(String value) {
      jobId = value;
      return this;
    }

    public Builder segments(List<String> value) {
      segments = value;
      return this;
    }

    public Builder output(String value) {
      output = value;
      return this;
    }

    public Builder allowStreamCopy(Boolean value) {
      allowStreamCopy = value;
      return this;
    }

    public Builder timeouts(JobTimeouts value) {
      timeouts = value;
      return this;
    }

    public Builder encoding(Encoding value) {
      encoding = value;
      return this;
    }

    public Builder loudness(Loudness value) {
      loudness = value;
      return this;
    }

    public Builder trimSilence(SilenceTrim value) {
      trimSilence = value;
      return this;
    }

    public Builder gapMs(Integer value) {
      gapMs = value;
      return this;
    }

    public Builder crossfadeMs(Integer value) {
      crossfadeMs = value;
      return this;
    }

    public Builder metadata(EpisodeMetadata value) {
      metadata = value;
      return this;
    }

    public Builder chapters(List<Chapter> value) {
      chapters = value;
      return this;
    }

    public Builder overwrite(Boolean value) {
      overwrite = value;
      return this;
    }

    public Builder outputObject(OutputObject value) {
      outputObject = value;
      return this;
    }

    public ConcatRequest build() {
      return new ConcatRequest(
          jobId,
          segments,
          output,
          allowStreamCopy,
          timeouts,
          encoding,
          loudness,
          trimSilence,
          gapMs,
          crossfadeMs,
          metadata,
          chapters,
          overwrite,
          outputObject);
    }
  }
}
