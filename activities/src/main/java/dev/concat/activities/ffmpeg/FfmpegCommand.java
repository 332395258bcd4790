package dev.concat.activities.ffmpeg;

import dev.concat.activities.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg command line that joins a concat list into one output file. Public so that the
 * benchmark (`concat bench`) runs exactly these command lines without concat around them.
 */
public final class FfmpegCommand {

  public static List<String> concat(Path ffmpeg, Path listFile, Path output, OutputFormat format, ConcatMode mode) {
    List<String> args = new ArrayList<>(List.of(ffmpeg.toString(),
        "-nostdin", "-y",
        // Machine-readable progress on stdout; errors only on stderr, for the failure message.
        "-progress", "pipe:1", "-nostats", "-loglevel", "error",
        // The concat demuxer reads the segments as one stream: with re-encoding the joins are
        // gapless for MP3 inputs. -safe 0 because the list holds absolute paths.
        "-f", "concat", "-safe", "0", "-i", listFile.toString(),
        // Audio only (cover art in the first segment would become a video stream), and no tags:
        // the first segment's title and artist describe a part, not the whole episode.
        "-map", "0:a:0", "-map_metadata", "-1"));
    if (mode == ConcatMode.COPY) {
      args.addAll(List.of("-c:a", "copy"));
    } else {
      // The common podcast delivery settings: 128 kb/s, 44.1 kHz, stereo.
      args.addAll(List.of("-c:a", format.encoder(), "-b:a", "128k", "-ar", "44100", "-ac", "2"));
    }
    if (format == OutputFormat.M4A) {
      // Index at the front, so players can start before the whole file is downloaded.
      args.addAll(List.of("-movflags", "+faststart"));
    }
    args.addAll(List.of("-f", format.muxer(), output.toString()));
    return args;
  }

  /**
   * Decodes one input to 16-bit PCM WAV at the output's rate and layout. Joining such files is
   * sample-exact, and it is the only safe way to join inputs of different codecs or rates: the
   * concat demuxer feeds all files to one decoder, set up for the first file.
   */
  public static List<String> toPcm(Path ffmpeg, Path input, Path output) {
    return List.of(ffmpeg.toString(), "-nostdin", "-y", "-progress", "pipe:1", "-nostats", "-loglevel", "error",
        "-i", input.toString(), "-map", "0:a:0", "-map_metadata", "-1",
        "-c:a", "pcm_s16le", "-ar", "44100", "-ac", "2", "-f", "wav", output.toString());
  }

  private FfmpegCommand() {}
}
