package dev.concat.activities.chunk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The FFmpeg command line that encodes one chunk's input range of a PCM WAV source to raw MP3
 * frames.
 */
public final class Mp3ChunkCommand {

  /**
   * With the bit reservoir on, a chunk's first kept frame may borrow bytes from the pre-roll frames
   * the join drops: the join must carry them ({@link BitReservoir}). No Xing/Info frame and no ID3
   * tag: the join writes one Info frame for the whole stream.
   */
  public static List<String> command(
      Path ffmpeg,
      Path wav,
      int sampleRate,
      Mp3Chunk chunk,
      int bitRateKbps,
      BitReservoir reservoir,
      Path output) {
    List<String> command =
        new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-y"));
    command.addAll(List.of("-loglevel", "error"));
    command.addAll(PcmRangeInput.args(wav, sampleRate, chunk.inputStart(), chunk.inputEnd()));
    command.addAll(
        List.of(
            "-c:a",
            "libmp3lame",
            "-b:a",
            bitRateKbps + "k",
            "-reservoir",
            reservoir == BitReservoir.OFF ? "0" : "1",
            "-write_xing",
            "0",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
            output.toString()));
    return List.copyOf(command);
  }

  private Mp3ChunkCommand() {}
}
