package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs one chunk's FFmpeg encode on the calling thread, which is the thread that must wait for it.
 * Interrupting that thread stops FFmpeg before {@link #encode} returns.
 */
public final class Mp3ChunkEncoder {
  /** Enough of FFmpeg's stderr (errors only) to name the reason it failed. */
  private static final int STDERR_LIMIT = 8_192;

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
    List<String> command =
        commandEdit.apply(
            Mp3ChunkCommand.command(
                ffmpeg, wav, sampleRate, chunk, bitRateKbps, reservoir, output));
    Process process = launcher.start(command);
    var stderr = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> drain(process.getErrorStream(), stderr),
            "mp3-chunk-" + chunk.index() + "-stderr");
    drain.setDaemon(true);
    drain.start();
    try {
      int exit = process.waitFor();
      drain.join(2_000);
      if (exit != 0) {
        String reason;
        synchronized (stderr) {
          reason = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        throw new IOException(
            "FFmpeg failed (exit "
                + exit
                + ") encoding chunk "
                + chunk.index()
                + " (samples "
                + chunk.inputStart()
                + "-"
                + chunk.inputEnd()
                + " of "
                + wav
                + "): "
                + reason);
      }
    } finally {
      if (process.isAlive()) {
        // The guard kills FFmpeg's whole process group on SIGTERM.
        process.destroy();
        process.waitFor();
      }
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream sink) {
    byte[] buffer = new byte[4_096];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (sink) {
          if (sink.size() < STDERR_LIMIT) {
            sink.write(buffer, 0, Math.min(n, STDERR_LIMIT - sink.size()));
          }
        }
      }
    } catch (IOException e) {
      // The process is gone; what was read so far is the reason, if any.
    }
  }
}
