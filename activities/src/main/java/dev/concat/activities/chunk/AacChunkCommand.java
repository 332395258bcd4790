package dev.concat.activities.chunk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg command line that encodes one chunk's input range of a PCM WAV source to AAC in ADTS:
 * the one-pass M4A's encoder and rate, in a stream of frames that are cut apart by their headers.
 */
final class AacChunkCommand {
  private AacChunkCommand() {}

  static List<String> command(
      Path ffmpeg, Path wav, int sampleRate, AacChunk chunk, int bitRateKbps, Path output) {
    List<String> command =
        new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-y"));
    command.addAll(List.of("-loglevel", "error"));
    command.addAll(PcmRangeInput.args(wav, sampleRate, chunk.inputStart(), chunk.inputEnd()));
    command.addAll(
        List.of("-c:a", "aac", "-b:a", bitRateKbps + "k", "-f", "adts", output.toString()));
    return List.copyOf(command);
  }
}
