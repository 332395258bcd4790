package dev.concat.app.command;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import java.nio.file.Path;
import java.util.List;
import java.util.Stack;
import java.util.regex.Pattern;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The submit flags for what a job does to the audio. Each flag given replaces its field of the
 * manifest; the values are checked by the workflow's request validator, not here.
 */
final class AudioOptions {
  @Option(
      names = "--bitrate",
      paramLabel = "KBPS",
      description = "Bit rate of the output in kb/s (default 128).")
  private Integer bitrateKbps;

  @Option(
      names = "--sample-rate",
      paramLabel = "HZ",
      description = "Sample rate of the output (default 44100).")
  private Integer sampleRate;

  @Option(
      names = "--channels",
      paramLabel = "N",
      description = "1 (mono) or 2 (stereo) (default 2).")
  private Integer channels;

  @Option(
      names = "--loudness",
      arity = "0..1",
      paramLabel = "LUFS",
      parameterConsumer = LoudnessTarget.class,
      description =
          "Normalise the output to LUFS integrated loudness (EBU R128); without a value -16, "
              + "the podcast target. Off unless given.")
  private Loudness loudness;

  @Option(
      names = "--true-peak",
      paramLabel = "DB",
      description =
          "Ceiling for the true peak when normalising, in dBTP (default -1); implies --loudness.")
  private Double truePeakDb;

  @Option(
      names = "--trim-silence",
      arity = "0..1",
      paramLabel = "DB",
      parameterConsumer = TrimThreshold.class,
      description =
          "Trim silence at the start and end of every segment; below DB dBFS is silence "
              + "(default -50). Off unless given.")
  private SilenceTrim trimSilence;

  @Option(
      names = "--gap-ms",
      paramLabel = "MS",
      description = "Silence between segments, in milliseconds (default 0).")
  private Integer gapMs;

  @Option(
      names = "--crossfade-ms",
      paramLabel = "MS",
      description = "Overlap of consecutive segments, in milliseconds (default 0).")
  private Integer crossfadeMs;

  @Option(names = "--title", paramLabel = "TEXT", description = "The episode's title tag.")
  private String title;

  @Option(names = "--artist", paramLabel = "TEXT", description = "The artist (host) tag.")
  private String artist;

  @Option(names = "--album", paramLabel = "TEXT", description = "The album tag: the show's name.")
  private String album;

  @Option(
      names = "--episode",
      paramLabel = "N",
      description = "The episode number, written as the track number.")
  private Integer episode;

  @Option(
      names = "--cover",
      paramLabel = "URI_OR_FILE",
      description =
          "A JPEG or PNG cover image: an s3:// URI, or a local file, which is first uploaded to "
              + "s3://<output bucket>/concat-staging/<job id>/cover.<ext>.")
  private String cover;

  @Option(
      names = "--chapter",
      paramLabel = "INDEX=TITLE",
      converter = ChapterConverter.class,
      description =
          "A chapter starting with segment INDEX (counted from 0). Repeat it in playing order, "
              + "e.g. --chapter 0=Intro --chapter 3=\"The interview\"; given, it replaces the manifest's chapters.")
  private List<Chapter> chapters;

  /**
   * Sets on {@code request} the audio fields of {@code manifest}, each replaced by its flag when
   * given.
   */
  void applyTo(ConcatRequest manifest, ConcatRequest.Builder request) {
    request
        .encoding(encoding(manifest.encoding()))
        .loudness(loudness(manifest.loudness()))
        .trimSilence(trimSilence != null ? trimSilence : manifest.trimSilence())
        .gapMs(gapMs != null ? gapMs : manifest.gapMs())
        .crossfadeMs(crossfadeMs != null ? crossfadeMs : manifest.crossfadeMs())
        .metadata(metadata(manifest.metadata()))
        .chapters(chapters != null ? List.copyOf(chapters) : manifest.chapters());
  }

  private Encoding encoding(Encoding manifest) {
    if (bitrateKbps == null && sampleRate == null && channels == null) {
      return manifest;
    }
    Encoding m = manifest == null ? new Encoding(null, null, null) : manifest;
    return new Encoding(
        bitrateKbps != null ? bitrateKbps : m.bitrateKbps(),
        sampleRate != null ? sampleRate : m.sampleRate(),
        channels != null ? channels : m.channels());
  }

  private Loudness loudness(Loudness manifest) {
    if (loudness == null && truePeakDb == null) {
      return manifest;
    }
    Loudness m = manifest == null ? new Loudness(null, null) : manifest;
    return new Loudness(
        loudness != null ? loudness.integratedLufs() : m.integratedLufs(),
        truePeakDb != null ? truePeakDb : m.truePeakDb());
  }

  private EpisodeMetadata metadata(EpisodeMetadata manifest) {
    if (title == null && artist == null && album == null && episode == null && cover == null) {
      return manifest;
    }
    EpisodeMetadata m =
        manifest == null ? new EpisodeMetadata(null, null, null, null, null) : manifest;
    return new EpisodeMetadata(
        title != null ? title : m.title(),
        artist != null ? artist : m.artist(),
        album != null ? album : m.album(),
        episode != null ? episode : m.episode(),
        cover != null ? coverFromWorkingDirectory(cover) : m.cover());
  }

  /**
   * A local cover on the command line is relative to the working directory, even when a manifest
   * (whose paths are relative to its own folder) is given.
   */
  private static String coverFromWorkingDirectory(String cover) {
    return cover.contains("://") ? cover : Path.of(cover).toAbsolutePath().toString();
  }

  /**
   * Takes the next argument as the option's value only if it is a number, so that {@code
   * --trim-silence intro.mp3} trims silence and keeps {@code intro.mp3} as a segment.
   */
  abstract static class NumberIfNext<T> implements IParameterConsumer {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    @Override
    public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
      boolean hasValue = !args.isEmpty() && NUMBER.matcher(args.peek()).matches();
      option.setValue(valueOf(hasValue ? Double.valueOf(args.pop()) : null));
    }

    /** The option's value for {@code number}, which is null when the option was given bare. */
    abstract T valueOf(Double number);
  }

  static final class LoudnessTarget extends NumberIfNext<Loudness> {
    @Override
    Loudness valueOf(Double integratedLufs) {
      return new Loudness(integratedLufs, null);
    }
  }

  static final class TrimThreshold extends NumberIfNext<SilenceTrim> {
    @Override
    SilenceTrim valueOf(Double thresholdDb) {
      return new SilenceTrim(thresholdDb);
    }
  }

  /**
   * {@code INDEX=TITLE}: the title is everything after the first {@code =}, so it may hold one too.
   */
  static final class ChapterConverter implements ITypeConverter<Chapter> {
    @Override
    public Chapter convert(String value) {
      int equals = value.indexOf('=');
      if (equals < 0) {
        throw new TypeConversionException(
            "'" + value + "' has no '=' between the segment index and the title, e.g. 0=Intro");
      }
      String index = value.substring(0, equals).strip();
      try {
        return new Chapter(Integer.valueOf(index), value.substring(equals + 1));
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + value + "': the segment index '" + index + "' is not a whole number");
      }
    }
  }
}
