package dev.concat.activities.ffmpeg;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Encoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg command lines of a plain join, exactly as concat builds them, for a caller that runs
 * them itself: the benchmark's shell-script baseline ({@code concat bench}). The package's command
 * builders stay package-private behind this one entry point.
 */
public final class PlainJoinCommands {

  /**
   * Decodes {@code inputs} to the 16-bit PCM WAV files {@code wavs} (same order), in one process.
   */
  public static List<String> decodeToPcm(
      Path ffmpeg, List<Path> inputs, List<Path> wavs, Encoding encoding) {
    if (inputs.size() != wavs.size()) {
      throw new IllegalArgumentException(
          inputs.size() + " inputs but " + wavs.size() + " WAV files");
    }
    List<FfmpegCommand.PcmDecode> decodes = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      decodes.add(new FfmpegCommand.PcmDecode(inputs.get(i), wavs.get(i), null));
    }
    return FfmpegCommand.toPcm(ffmpeg, decodes, encoding);
  }

  /**
   * Writes the concat demuxer's list of {@code inputs} to {@code listFile} and returns the command
   * line that joins them into {@code output}, one FFmpeg as concat runs it when it does not chunk.
   */
  public static List<String> join(
      Path ffmpeg,
      Path listFile,
      List<Path> inputs,
      OutputFormat format,
      ConcatMode mode,
      Encoding encoding,
      Path output)
      throws IOException {
    ConcatListFile.write(listFile, inputs);
    return JoinCommand.concatList(ffmpeg, listFile, 0).encode(format, mode, encoding, output);
  }

  /**
   * The loudness meter over a finished file, as every job's output is measured; it writes its
   * per-frame values to {@code frameLog}.
   */
  public static List<String> meter(Path ffmpeg, Path file, Path frameLog) {
    return FfmpegCommand.meter(ffmpeg, file, frameLog);
  }

  private PlainJoinCommands() {}
}
