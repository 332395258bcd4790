package dev.concat.activities.ffmpeg;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg command line that joins the segments into the output: where the audio comes from (the
 * concat demuxer over a list, or PCM files crossfaded in a filter graph), what is done to it
 * (conformed to the output's rate and channels, a loudness gain), and what goes with it (tags,
 * chapters, cover). The same source also gives the loudness pass that measures it before the gain.
 */
final class JoinCommand {
  private final Path ffmpeg;
  private final List<String> inputs;
  private final int audioInputs;

  /** The joined stream's channels before it is conformed; 0 when its inputs differ. */
  private final int sourceChannels;

  /** Filters that make the joined stream, ending in [joined]; null when input 0 is the stream. */
  private final String sourceGraph;

  private final String gainFilter;
  private final Path metadataFile;
  private final Path cover;

  private JoinCommand(
      Path ffmpeg,
      List<String> inputs,
      int audioInputs,
      int sourceChannels,
      String sourceGraph,
      String gainFilter,
      Path metadataFile,
      Path cover) {
    this.ffmpeg = ffmpeg;
    this.inputs = inputs;
    this.audioInputs = audioInputs;
    this.sourceChannels = sourceChannels;
    this.sourceGraph = sourceGraph;
    this.gainFilter = gainFilter;
    this.metadataFile = metadataFile;
    this.cover = cover;
  }

  /**
   * The concat demuxer reads the listed files as one stream, of {@code channels} channels (0 when
   * the files differ).
   */
  static JoinCommand concatList(Path ffmpeg, Path listFile, int channels) {
    return new JoinCommand(
        ffmpeg, InputOptions.concatList(listFile), 1, channels, null, null, null, null);
  }

  /**
   * PCM files of {@code channels} channels, each overlapping the next by {@code overlapFrames}
   * samples.
   */
  static JoinCommand crossfade(Path ffmpeg, List<Path> pcmFiles, int channels, long overlapFrames) {
    List<String> inputs = new ArrayList<>();
    pcmFiles.forEach(file -> inputs.addAll(InputOptions.workFile(file)));
    return new JoinCommand(
        ffmpeg,
        inputs,
        pcmFiles.size(),
        channels,
        CrossfadeGraph.filter(pcmFiles.size(), overlapFrames, "joined"),
        null,
        null,
        null);
  }

  /** The same join with {@code filter} (a gain, perhaps a limiter) applied after conforming. */
  JoinCommand withGain(String filter) {
    return new JoinCommand(
        ffmpeg, inputs, audioInputs, sourceChannels, sourceGraph, filter, metadataFile, cover);
  }

  /**
   * The same join writing the tags and chapters of an FFMETADATA file, and a cover image (either
   * may be null).
   */
  JoinCommand withTags(Path metadata, Path coverImage) {
    return new JoinCommand(
        ffmpeg, inputs, audioInputs, sourceChannels, sourceGraph, gainFilter, metadata, coverImage);
  }

  /**
   * Measures the joined stream, conformed to the output's rate and channels, before any gain: the
   * first pass of loudness normalisation. The meter writes its frame log to {@code frameLog}.
   */
  List<String> meter(Encoding encoding, Path frameLog) {
    List<String> args = FfmpegCommand.head(ffmpeg, "info");
    args.addAll(inputs);
    args.addAll(
        List.of(
            "-filter_complex",
            graph(encoding, LoudnessSummary.filter(frameLog)),
            "-map",
            "[out]",
            "-f",
            "null",
            "-"));
    return args;
  }

  /** The channels the first pass meters this join in, for an output of {@code encoding}. */
  FirstPassLayout firstPassLayout(Encoding encoding) {
    return FirstPassLayout.of(sourceChannels, encoding);
  }

  /**
   * The joined stream, conformed to the output's rate and to the {@link #firstPassLayout}'s
   * channels, before any gain, as 32-bit float samples in a WAV stream to {@code wav}: for the
   * first pass of loudness normalisation metered in Java ({@link JoinLoudnessMeter}), exact for
   * every decoder's samples. With {@code keep}, the same samples also go to that file, for the
   * encodes to read ({@link KeptJoinPcm}).
   */
  List<String> meteredPcm(Encoding encoding, Path wav, Path keep) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(inputs);
    args.addAll(
        List.of(
            "-filter_complex",
            graph(
                firstPassLayout(encoding).metered(),
                null,
                keep == null ? "[out]" : ",asplit=2[out][kept]")));
    args.addAll(pcmOutput("[out]", wav));
    if (keep != null) {
      // Past 4 GiB (about 3 hours of 48 kHz stereo) a plain WAV header cannot say how long it is.
      args.addAll(List.of("-rf64", "auto"));
      args.addAll(pcmOutput("[kept]", keep));
    }
    return args;
  }

  /**
   * The same join, tags and gain read from {@code wav}, a file {@link #meteredPcm} kept: one input
   * already joined and resampled, in the first pass's channels, which the encode mixes to the
   * output's as it would the segments.
   */
  JoinCommand fromPcm(Path wav) {
    return new JoinCommand(
        ffmpeg, InputOptions.workFile(wav), 1, 0, null, gainFilter, metadataFile, cover);
  }

  private static List<String> pcmOutput(String label, Path wav) {
    // Without metadata and with bitexact, the header holds nothing but the format.
    return List.of(
        "-map",
        label,
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-c:a",
        "pcm_f32le",
        "-f",
        "wav",
        wav.toString());
  }

  List<String> encode(OutputFormat format, ConcatMode mode, Encoding encoding, Path output) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(inputs);
    int next = audioInputs;
    int metadataInput = metadataFile == null ? -1 : next++;
    int coverInput = cover == null ? -1 : next;
    if (metadataFile != null) {
      args.addAll(InputOptions.workFile(metadataFile));
    }
    if (cover != null) {
      args.addAll(InputOptions.cover(cover));
    }
    if (mode == ConcatMode.COPY) {
      args.addAll(List.of("-map", "0:a:0", "-c:a", "copy"));
    } else {
      args.addAll(List.of("-filter_complex", graph(encoding, gainFilter), "-map", "[out]"));
      args.addAll(encoderArgs(format, encoding));
    }
    addTags(args, metadataInput, coverInput);
    if (format == OutputFormat.MP3) {
      // ID3v2.3 is what podcast apps and hosts read most widely; the Xing/LAME header makes the
      // file seekable and tells players its exact length.
      args.addAll(List.of("-id3v2_version", "3", "-write_xing", "1"));
    } else {
      // Index at the front, so players can start before the whole file is downloaded.
      args.addAll(List.of("-movflags", "+faststart"));
    }
    if (format == OutputFormat.M4A && mode == ConcatMode.REENCODE) {
      // The movie timescale at the sample rate makes the edit list's length exact to the sample.
      args.addAll(List.of("-movie_timescale", String.valueOf(encoding.sampleRate())));
    }
    args.addAll(List.of("-f", format.muxer(), output.toString()));
    return args;
  }

  /**
   * The output's encoder and its settings, as {@link #encode} re-encodes the join. {@link
   * EncoderDropProbe} encodes its excerpts with the same list, so what it measures is this encoder.
   */
  static List<String> encoderArgs(OutputFormat format, Encoding encoding) {
    return List.of(
        "-c:a",
        format.encoder(),
        "-b:a",
        encoding.bitrateKbps() + "k",
        "-ar",
        String.valueOf(encoding.sampleRate()),
        "-ac",
        String.valueOf(encoding.channels()));
  }

  /**
   * The joined stream, as {@link #encode} would encode it (gain included), decoded to a 16-bit PCM
   * WAV for the chunk encoders to read. No tags: the tag comes from {@link #mp3Tag}.
   */
  List<String> pcm(Encoding encoding, Path wav) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(inputs);
    args.addAll(
        List.of(
            "-filter_complex",
            graph(encoding, gainFilter),
            "-map",
            "[out]",
            "-map_metadata",
            "-1",
            "-c:a",
            "pcm_s16le",
            // Past 4 GiB (6.7 hours of 44.1 kHz stereo) a plain WAV cannot count its data.
            "-rf64",
            "auto",
            "-f",
            "wav",
            wav.toString()));
    return args;
  }

  /**
   * An MP3 of a tenth of a second of silence carrying the ID3v2 tag {@link #encode} writes: the
   * same tags, chapters and cover, from the same inputs and options. The bytes before its first
   * frame are that tag. The silence's length is an input option: an output one would drop the
   * chapters that start after it.
   */
  List<String> mp3Tag(Encoding encoding, Path output) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(
        List.of(
            "-f",
            "lavfi",
            "-t",
            "0.1",
            "-i",
            "anullsrc=r=" + encoding.sampleRate() + ":cl=" + layout(encoding)));
    int metadataInput = metadataFile == null ? -1 : 1;
    int coverInput = cover == null ? -1 : metadataFile == null ? 1 : 2;
    if (metadataFile != null) {
      args.addAll(InputOptions.workFile(metadataFile));
    }
    if (cover != null) {
      args.addAll(InputOptions.cover(cover));
    }
    args.addAll(
        List.of(
            "-map",
            "0:a:0",
            "-c:a",
            OutputFormat.MP3.encoder(),
            "-b:a",
            encoding.bitrateKbps() + "k"));
    addTags(args, metadataInput, coverInput);
    args.addAll(List.of("-id3v2_version", "3", "-write_xing", "0", "-f", "mp3", output.toString()));
    return args;
  }

  /**
   * The M4A {@link #encode} would write, from the same AAC frames joined in ADTS ({@link
   * dev.concat.activities.chunk.ChunkedAacJoin}): the frames copied, with the tags, chapters and
   * cover of the same inputs and options. ADTS has no timestamps that say where the priming ends or
   * how long the last frame is, so they are set as the encoder sets them (the first frame 1024
   * samples before zero, the last as long as its source samples): the MP4 muxer then writes the
   * edit list and sample table of the one-pass file ({@link Mp4GaplessTag} checks them).
   */
  List<String> m4aFromAdts(
      Path adts, long frames, int lastFrameSamples, Encoding encoding, Path output) {
    List<String> args = FfmpegCommand.head(ffmpeg);
    args.addAll(List.of("-f", "aac"));
    args.addAll(InputOptions.workFile(adts));
    int metadataInput = metadataFile == null ? -1 : 1;
    int coverInput = cover == null ? -1 : metadataFile == null ? 1 : 2;
    if (metadataFile != null) {
      args.addAll(InputOptions.workFile(metadataFile));
    }
    if (cover != null) {
      args.addAll(InputOptions.cover(cover));
    }
    String timestamps =
        "setts=time_base=1/"
            + encoding.sampleRate()
            + ":ts=N*1024-1024:duration=if(eq(N\\,"
            + (frames - 1)
            + ")\\,"
            + lastFrameSamples
            + "\\,1024)";
    args.addAll(List.of("-map", "0:a:0", "-c:a", "copy", "-bsf:a", timestamps));
    addTags(args, metadataInput, coverInput);
    args.addAll(
        List.of(
            "-movflags",
            "+faststart",
            "-movie_timescale",
            String.valueOf(encoding.sampleRate()),
            "-f",
            OutputFormat.M4A.muxer(),
            output.toString()));
    return args;
  }

  private void addTags(List<String> args, int metadataInput, int coverInput) {
    // Tags and chapters come from the metadata file only: a segment's own describe a part.
    String tags = String.valueOf(metadataInput);
    args.addAll(List.of("-map_metadata", tags, "-map_chapters", tags));
    if (cover != null) {
      // An attached picture: ID3 APIC (front cover) in MP3, covr in M4A.
      args.addAll(
          List.of(
              "-map",
              coverInput + ":v:0",
              "-c:v",
              "copy",
              "-disposition:v:0",
              "attached_pic",
              "-metadata:s:v:0",
              "comment=Cover (front)"));
    }
  }

  /** The filter that mixes audio to the output's channels: FFmpeg's upmix or downmix. */
  static String channelsFilter(Encoding encoding) {
    return "aformat=channel_layouts=" + layout(encoding);
  }

  /** FFmpeg's name for the output's channel layout. */
  private static String layout(Encoding encoding) {
    return encoding.channels() == 1 ? "mono" : "stereo";
  }

  /**
   * The joined stream, retimed, resampled and remixed to the output, then {@code tail}, into [out].
   * Retimed by sample count: the concat demuxer offsets each file by its container duration, which
   * counts the encoder delay and padding its decoder drops, so an MP3 or Opus join leaves a hole of
   * tens of milliseconds in the timestamps. The MP3 muxer ignores timestamps; the MP4 muxer keeps
   * the holes, and the file plays 46 ms longer per join. Retimed again at the end: resampling
   * leaves the timestamps a few samples off here and there, and the AAC encoder turns those into
   * packet durations, which the MP4 sample table and edit list then add up wrongly. Rounded: FFmpeg
   * truncates the expression's value, and N / SR / TB at a time base of 1 / SR comes out a hair
   * under N for some N (15360 at 44.1 kHz), which left an M4A's edit list a sample short.
   */
  private String graph(Encoding encoding, String tail) {
    return graph(encoding, tail, "[out]");
  }

  /** The graph whose last filter ends in {@code outputs}: its label, or a filter that splits. */
  private String graph(Encoding encoding, String tail, String outputs) {
    String source = sourceGraph == null ? "[0:a:0]" : sourceGraph + ";[joined]";
    String conform =
        "asetpts=round(N/SR/TB),aresample="
            + encoding.sampleRate()
            + ","
            + channelsFilter(encoding);
    return source
        + conform
        + (tail == null ? "" : "," + tail)
        + ",asetpts=round(N/SR/TB)"
        + outputs;
  }
}
