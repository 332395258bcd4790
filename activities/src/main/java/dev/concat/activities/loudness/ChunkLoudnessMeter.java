package dev.concat.activities.loudness;

import dev.concat.activities.ffmpeg.ProcessLauncher;
import dev.concat.activities.ffmpeg.UnusableAudioException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Measures a chunk of a programme: FFmpeg decodes the chunk's file to 32-bit float samples in a WAV
 * stream on a pipe (exact for 16- and 24-bit sources and for float decoders), {@link
 * ChunkMeasurement} meters them. Metering in Java rather than in FFmpeg's {@code ebur128} filter
 * gives the blocks in full precision, aligned on the programme's timeline rather than the file's,
 * and a true peak that costs less than the filter's 192 kHz resampling.
 */
public final class ChunkLoudnessMeter {
  private static final int BUFFER_FRAMES = 8192;

  /**
   * Frames of a stream held back until its true end is known: more than an MP3 encoder's end
   * padding (under a frame of 1152) and the decoder's delay together.
   */
  static final int TAIL_FRAMES = 4 * 1152;

  /** Where the samples read go: {@code frames} interleaved frames from the start of the array. */
  public interface FrameSink {
    void add(float[] interleaved, int frames);
  }

  private final Path ffmpeg;
  private final ProcessLauncher launcher;

  public ChunkLoudnessMeter(Path ffmpeg, ProcessLauncher launcher) {
    this.ffmpeg = ffmpeg;
    this.launcher = launcher;
  }

  /**
   * @param chunk the chunk's audio, from {@code span.decodedStart()} on, reaching at least {@code
   *     span.ownedEnd()}
   * @throws UnusableAudioException when FFmpeg cannot decode the file's audio, or it is too short
   *     for its span, or its pre-roll too short for its first block
   */
  public ChunkLoudness measure(Path chunk, ChunkSpan span)
      throws UnusableAudioException, IOException, InterruptedException {
    return measure(chunk.toString(), span);
  }

  /**
   * As {@link #measure(Path, ChunkSpan)}, for an FFmpeg input of any protocol (a byte range of a
   * file through {@code subfile}, say).
   */
  public ChunkLoudness measure(String chunk, ChunkSpan span)
      throws UnusableAudioException, IOException, InterruptedException {
    return measure(List.of("-i", chunk), List.of(), chunk, span, micros -> {}, null);
  }

  /**
   * Measures a chunk's own encode, a file that does not say its encoder's delay (MP3 without an
   * Info frame, AAC in ADTS), read with FFmpeg's {@code demuxer}: the first {@code delaySamples}
   * that FFmpeg decodes (the encoder's and the decoder's delay) are dropped, so that the decode
   * starts with the encoder's first input sample, {@code span.decodedStart()} of the programme.
   */
  public ChunkLoudness measureEncodedChunk(
      Path chunk, String demuxer, int delaySamples, ChunkSpan span)
      throws UnusableAudioException, IOException, InterruptedException {
    return measureEncodedChunk(chunk, demuxer, delaySamples, span, micros -> {});
  }

  /**
   * As {@link #measureEncodedChunk(Path, String, int, ChunkSpan)}, telling {@code decodedMicros}
   * how much of the file has been measured as it advances.
   */
  public ChunkLoudness measureEncodedChunk(
      Path chunk, String demuxer, int delaySamples, ChunkSpan span, LongConsumer decodedMicros)
      throws UnusableAudioException, IOException, InterruptedException {
    return measure(
        List.of("-f", demuxer, "-i", chunk.toString()),
        trimmed(delaySamples),
        chunk.toString(),
        span,
        decodedMicros,
        null);
  }

  /**
   * Measures an MP3 stream without its Info frame, read from {@code fifo} as an encoder writes it:
   * the first {@code delaySamples} that FFmpeg decodes (the encoder's and the decoder's delay,
   * which the missing Info frame no longer tells it to drop) are dropped, so the samples fall on
   * the finished file's timeline. The last {@link #TAIL_FRAMES} are measured only once the stream
   * has ended, up to {@code programmeEnd}: the encoder's end padding, which the stream holds and
   * the finished file's Info frame trims, is left out.
   *
   * @param decodedMicros told how much audio has been measured, as it advances
   * @param programmeEnd asked once the stream has ended: the samples the finished file plays, or -1
   *     when not known (the padding is then measured too: the true peak may read a little high)
   */
  public ChunkLoudness measureMp3Stream(
      Path fifo, int delaySamples, LongConsumer decodedMicros, LongSupplier programmeEnd)
      throws UnusableAudioException, IOException, InterruptedException {
    return measure(
        List.of("-protocol_whitelist", "file", "-f", "mp3", "-i", fifo.toString()),
        trimmed(delaySamples),
        fifo.toString(),
        ChunkSpan.wholeProgramme(),
        decodedMicros,
        programmeEnd);
  }

  /** FFmpeg's filter dropping the first {@code samples}, the timestamps following. */
  private static List<String> trimmed(int samples) {
    return List.of("-af", "atrim=start_sample=" + samples + ",asetpts=N/SR/TB");
  }

  private ChunkLoudness measure(
      List<String> input,
      List<String> filter,
      String what,
      ChunkSpan span,
      LongConsumer decodedMicros,
      LongSupplier streamEnd)
      throws UnusableAudioException, IOException, InterruptedException {
    // Without metadata and with bitexact, the header holds nothing but the format.
    List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-v", "error"));
    command.addAll(input);
    command.addAll(List.of("-map", "0:a:0"));
    command.addAll(filter);
    command.addAll(
        List.of(
            "-map_metadata", "-1", "-fflags", "+bitexact", "-c:a", "pcm_f32le", "-f", "wav", "-"));
    Process process = launcher.start(command);
    var errors = new StringBuilder();
    Thread stderr = drain(process.getErrorStream(), errors);
    ChunkLoudness loudness = null;
    String unfit = null;
    int exit;
    try {
      loudness =
          measureWav(
              new BufferedInputStream(process.getInputStream()),
              span,
              null,
              decodedMicros,
              streamEnd);
    } catch (EOFException e) {
      // FFmpeg wrote no header: it failed before its first sample, and its exit status says why.
    } catch (IllegalArgumentException e) {
      unfit = e.getMessage();
    } finally {
      // Closing the pipe ends FFmpeg early (on a broken pipe) when the audio was unfit.
      process.getInputStream().close();
      exit = process.waitFor();
      stderr.join();
    }
    if (unfit != null) {
      throw new UnusableAudioException(what + ": " + unfit);
    }
    if (exit != 0 || loudness == null) {
      throw new UnusableAudioException(
          "FFmpeg exited " + exit + " decoding " + what + ": " + errors.toString().strip());
    }
    return loudness;
  }

  /**
   * Meters a WAV stream of 32-bit float samples (as FFmpeg writes {@code -c:a pcm_f32le -f wav}) to
   * its end.
   *
   * @throws IllegalArgumentException when the stream is not such a WAV, or is too short for {@code
   *     span}
   */
  public static ChunkLoudness measureWav(InputStream wav, ChunkSpan span) throws IOException {
    return measureWav(wav, span, null, micros -> {}, null);
  }

  /** As {@link #measureWav(InputStream, ChunkSpan)}, passing every frame on to {@code also}. */
  public static ChunkLoudness measureWav(InputStream wav, ChunkSpan span, FrameSink also)
      throws IOException {
    return measureWav(wav, span, also, micros -> {}, null);
  }

  /**
   * @param also given the frames as they are measured; null when nothing else wants them
   * @param streamEnd where the programme ends, asked at the stream's end; null to measure all
   */
  private static ChunkLoudness measureWav(
      InputStream wav,
      ChunkSpan span,
      FrameSink also,
      LongConsumer decodedMicros,
      LongSupplier streamEnd)
      throws IOException {
    PcmStreamFormat format = PcmStreamFormat.read(wav);
    var measurement = new ChunkMeasurement(format.sampleRate(), format.channels(), span);
    FrameSink measured =
        also == null
            ? measurement::add
            : (samples, frames) -> {
              measurement.add(samples, frames);
              also.add(samples, frames);
            };
    if (streamEnd == null) {
      read(wav, format, measured, decodedMicros);
    } else {
      var tail = new HeldTail(format.channels(), TAIL_FRAMES);
      read(wav, format, (samples, frames) -> tail.add(samples, frames, measured), decodedMicros);
      tail.release(streamEnd.getAsLong(), measured);
    }
    return measurement.finish();
  }

  private static void read(
      InputStream pcm, PcmStreamFormat format, FrameSink measurement, LongConsumer decodedMicros)
      throws IOException {
    int channels = format.channels();
    int frameBytes = channels * Float.BYTES;
    long measured = 0;
    byte[] bytes = new byte[BUFFER_FRAMES * frameBytes];
    float[] samples = new float[BUFFER_FRAMES * channels];
    int filled = 0;
    for (int n; (n = pcm.read(bytes, filled, bytes.length - filled)) >= 0; ) {
      filled += n;
      int frames = filled / frameBytes;
      ByteBuffer.wrap(bytes, 0, frames * frameBytes)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(samples, 0, frames * channels);
      measurement.add(samples, frames);
      measured += frames;
      decodedMicros.accept(measured * 1_000_000 / format.sampleRate());
      // A read may end inside a frame: its bytes start the next buffer.
      System.arraycopy(bytes, frames * frameBytes, bytes, 0, filled - frames * frameBytes);
      filled -= frames * frameBytes;
    }
  }

  /** Reads FFmpeg's stderr on its own thread, so a chatty decoder cannot block on a full pipe. */
  private static Thread drain(InputStream stream, StringBuilder into) {
    Thread thread =
        new Thread(
            () -> {
              try {
                into.append(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                into.append("(stderr unreadable: ").append(e.getMessage()).append(')');
              }
            },
            "ffmpeg-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
