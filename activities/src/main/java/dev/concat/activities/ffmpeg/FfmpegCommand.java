package dev.concat.activities.ffmpeg;

import dev.concat.contract.audio.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * FFmpeg command lines concat runs besides the join ({@link JoinCommand}): decoding segments to PCM
 * and metering a finished file. The benchmark reaches them through {@link PlainJoinCommands}.
 */
final class FfmpegCommand {
  /**
   * What FFmpeg decodes ahead of an MP3's first sample when no Info frame says to drop it: LAME's
   * encoder delay (576) and the decoder's own (529). The stream the concurrent meter reads has its
   * Info frame cut out ({@link InfoFrameCut}), so this is always what it must drop.
   */
  static final int MP3_STREAM_DELAY_SAMPLES = 576 + 529;

  /**
   * One segment to decode.
   *
   * @param filter FFmpeg audio filters for this segment (trimming, fitting its length), or null
   */
  record PcmDecode(Path input, Path output, String filter) {}

  /**
   * Decodes segments to 16-bit PCM WAV at the output's rate and channels, several inputs in one
   * process (each FFmpeg start costs about 0.1 s of CPU loading its libraries). Joining such files
   * is sample-exact, and each file's length is known from its size.
   */
  static List<String> toPcm(Path ffmpeg, List<PcmDecode> decodes, Encoding encoding) {
    List<String> args = head(ffmpeg);
    for (PcmDecode decode : decodes) {
      args.addAll(InputOptions.segment(decode.input()));
    }
    for (int i = 0; i < decodes.size(); i++) {
      // Audio only: an MP3's cover art would be a video stream. No tags: they describe a part.
      args.addAll(List.of("-map", i + ":a:0", "-map_metadata", "-1"));
      if (decodes.get(i).filter() != null) {
        args.addAll(List.of("-af", decodes.get(i).filter()));
      }
      args.addAll(
          List.of(
              "-c:a",
              "pcm_s16le",
              "-ar",
              String.valueOf(encoding.sampleRate()),
              "-ac",
              String.valueOf(encoding.channels()),
              "-f",
              "wav",
              decodes.get(i).output().toString()));
    }
    return args;
  }

  /**
   * Decodes a finished file through FFmpeg's EBU R128 meter: the summary it prints at the end and
   * the frame log it writes to {@code frameLog} ({@link LoudnessSummary}) give loudness, true peak
   * and loudness range, and the last progress report the decoded length (encoder delay and padding
   * excluded, as a player would play it).
   */
  static List<String> meter(Path ffmpeg, Path file, Path frameLog) {
    List<String> args = head(ffmpeg, "info");
    args.addAll(InputOptions.workFile(file));
    args.addAll(
        List.of("-map", "0:a:0", "-af", LoudnessSummary.filter(frameLog), "-f", "null", "-"));
    return args;
  }

  /** Every command's start: machine-readable progress on stdout, errors only on stderr. */
  static List<String> head(Path ffmpeg) {
    return head(ffmpeg, "error");
  }

  /**
   * @param loglevel {@code info} where the result is printed at that level (the loudness meter)
   */
  static List<String> head(Path ffmpeg, String loglevel) {
    return new ArrayList<>(
        List.of(
            ffmpeg.toString(),
            "-hide_banner",
            "-nostdin",
            "-y",
            "-progress",
            "pipe:1",
            "-nostats",
            "-loglevel",
            loglevel));
  }

  private FfmpegCommand() {}
}
