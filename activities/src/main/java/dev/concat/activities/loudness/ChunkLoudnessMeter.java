package dev.concat.activities.loudness;

import dev.concat.activities.ffmpeg.AudioProbe;
import dev.concat.activities.ffmpeg.Ffprobe;
import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.UnusableAudioException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures a chunk of a programme: FFmpeg decodes the chunk's file to 32-bit float samples on a
 * pipe (exact for 16- and 24-bit sources and for float decoders), {@link ChunkMeasurement} meters
 * them. Metering in Java rather than in FFmpeg's {@code ebur128} filter gives the blocks in full
 * precision, aligned on the programme's timeline rather than the file's, and a true peak that costs
 * less than the filter's 192 kHz resampling.
 */
public final class ChunkLoudnessMeter {
  private static final int BUFFER_FRAMES = 8192;

  private final Path ffmpeg;
  private final Ffprobe ffprobe;
  private final ProcessLauncher launcher;

  public ChunkLoudnessMeter(Path ffmpeg, Ffprobe ffprobe, ProcessLauncher launcher) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.launcher = launcher;
  }

  /**
   * @param chunk the chunk's audio, from {@code span.decodedStart()} on, reaching at least {@code span.ownedEnd()}
   * @throws UnusableAudioException when the file holds no audio, FFmpeg cannot decode it, or it is
   *     too short for its span
   */
  public ChunkLoudness measure(Path chunk, ChunkSpan span)
      throws UnusableAudioException, IOException, InterruptedException {
    AudioProbe probe = ffprobe.probe(chunk);
    var measurement = new ChunkMeasurement(probe.sampleRate(), probe.channels(), span);
    Process process = launcher.start(List.of(ffmpeg.toString(), "-nostdin", "-v", "error", "-i", chunk.toString(),
        "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "f32le", "-"));
    var errors = new StringBuilder();
    Thread stderr = drain(process.getErrorStream(), errors);
    try {
      read(process.getInputStream(), probe.channels(), measurement);
    } finally {
      process.getInputStream().close();
      int exit = process.waitFor();
      stderr.join();
      if (exit != 0) {
        throw new UnusableAudioException("FFmpeg exited " + exit + " decoding " + chunk + ": " + errors.toString().strip());
      }
    }
    try {
      return measurement.finish();
    } catch (IllegalArgumentException e) {
      throw new UnusableAudioException(chunk + ": " + e.getMessage());
    }
  }

  private static void read(InputStream pcm, int channels, ChunkMeasurement measurement) throws IOException {
    int frameBytes = channels * Float.BYTES;
    byte[] bytes = new byte[BUFFER_FRAMES * frameBytes];
    float[] samples = new float[BUFFER_FRAMES * channels];
    int filled = 0;
    for (int n; (n = pcm.read(bytes, filled, bytes.length - filled)) >= 0; ) {
      filled += n;
      int frames = filled / frameBytes;
      ByteBuffer.wrap(bytes, 0, frames * frameBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(samples, 0, frames * channels);
      measurement.add(samples, frames);
      // A read may end inside a frame: its bytes start the next buffer.
      System.arraycopy(bytes, frames * frameBytes, bytes, 0, filled - frames * frameBytes);
      filled -= frames * frameBytes;
    }
  }

  /** Reads FFmpeg's stderr on its own thread, so a chatty decoder cannot block on a full pipe. */
  private static Thread drain(InputStream stream, StringBuilder into) {
    Thread thread = new Thread(() -> {
      try {
        into.append(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        into.append("(stderr unreadable: ").append(e.getMessage()).append(')');
      }
    }, "ffmpeg-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
