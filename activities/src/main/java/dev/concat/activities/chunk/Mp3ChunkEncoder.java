package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Encodes one chunk of a PCM WAV source to raw MP3 frames ({@link Mp3ChunkCommand}) on the calling
 * thread; interrupting it stops FFmpeg before {@link #encode} returns.
 */
public final class Mp3ChunkEncoder {
  private final Path ffmpeg;
  private final ProcessLauncher launcher;
  private final int bitRateKbps;
  private final UnaryOperator<List<String>> commandEdit;

  public Mp3ChunkEncoder(Path ffmpeg, ProcessLauncher launcher, int bitRateKbps) {
    this(ffmpeg, launcher, bitRateKbps, UnaryOperator.identity());
  }

  /**
   * @param commandEdit applied to each command line; tests use it to join with the bit reservoir on
   *     and not carried
   */
  Mp3ChunkEncoder(
      Path ffmpeg,
      ProcessLauncher launcher,
      int bitRateKbps,
      UnaryOperator<List<String>> commandEdit) {
    this.ffmpeg = ffmpeg;
    this.launcher = launcher;
    this.bitRateKbps = bitRateKbps;
    this.commandEdit = commandEdit;
  }

  public void encode(Path wav, int sampleRate, Mp3Chunk chunk, BitReservoir reservoir, Path output)
      throws IOException, InterruptedException {
    ChunkProcess.run(
        launcher,
        commandEdit.apply(
            Mp3ChunkCommand.command(
                ffmpeg, wav, sampleRate, chunk, bitRateKbps, reservoir, output)),
        "encoding chunk "
            + chunk.index()
            + " (samples "
            + chunk.inputStart()
            + "-"
            + chunk.inputEnd()
            + " of "
            + wav
            + ")");
  }
}
