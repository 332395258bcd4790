package dev.concat.activities.chunk;

import java.nio.file.Path;
import java.util.List;

/**
 * The FFmpeg command line that encodes one chunk's input range of a PCM WAV source to raw MP3
 * frames.
 */
public final class Mp3ChunkCommand {

  /**
   * Seeks to the whole second at or before the chunk's input (a whole second is a whole number of
   * samples, so the seek is exact), then trims by sample numbers counted from there.
   *
   * <p>With the bit reservoir on, a chunk's first kept frame may borrow bytes from the pre-roll
   * frames the join drops: the join must carry them ({@link BitReservoir}). No Xing/Info frame and
   * no ID3 tag: the join writes one Info frame for the whole stream.
   */
  public static List<String> command(
      Path ffmpeg,
      Path wav,
      int sampleRate,
      Mp3Chunk chunk,
      int bitRateKbps,
      BitReservoir reservoir,
      Path output) {
    long seekSeconds = chunk.inputStart() / sampleRate;
    long seekSample = seekSeconds * sampleRate;
    String trim =
        "atrim=start_sample="
            + (chunk.inputStart() - seekSample)
            + ":end_sample="
            + (chunk.inputEnd() - seekSample);
    return List.of(
        ffmpeg.toString(),
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-ss",
        String.valueOf(seekSeconds),
        "-i",
        wav.toString(),
        "-map",
        "0:a:0",
        "-map_metadata",
        "-1",
        "-af",
        trim,
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
        output.toString());
  }

  private Mp3ChunkCommand() {}
}
