package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs ffprobe on one file and reads its first audio stream. */
public final class Ffprobe {
  /** ffprobe reads headers and a few frames; a minute means it hangs on a hostile file. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final Duration KILL_GRACE = Duration.ofSeconds(1);

  private final Path ffprobe;
  private final ProcessLauncher launcher;

  public Ffprobe(Path ffprobe, ProcessLauncher launcher) {
    this.ffprobe = ffprobe;
    this.launcher = launcher;
  }

  /**
   * Probes {@code file}. Throws {@link UnusableAudioException} when it holds no playable audio (the
   * file's fault) and {@link IOException} when ffprobe itself could not run (the host's).
   */
  public AudioProbe probe(Path file) throws UnusableAudioException, IOException {
    Result result = run(file, "stream=codec_name,sample_rate,channels,start_time:format=duration");
    return parse(result.stdout(), result.errors());
  }

  /**
   * The first audio stream's duration as its container states it, or empty when it states none. For
   * AAC in MP4 and Vorbis in Ogg this is the producer's length: FFmpeg's decoder returns the
   * encoder's end padding with it (AAC) or a few samples short of it (Vorbis).
   */
  public OptionalDouble streamDuration(Path file) throws UnusableAudioException, IOException {
    double duration = number(fields(run(file, "stream=duration").stdout()).get("duration"));
    return duration > 0 ? OptionalDouble.of(duration) : OptionalDouble.empty();
  }

  /** The finished file's audio stream, bit rate and chapter count. */
  public OutputStream describeOutput(Path file) throws UnusableAudioException, IOException {
    Result result =
        run(file, "stream=codec_name,sample_rate,channels,bit_rate:format=bit_rate:chapter=id");
    Map<String, String> fields = fields(result.stdout());
    if (!fields.containsKey("codec_name")) {
      throw new UnusableAudioException(
          "no audio stream" + (result.errors().isBlank() ? "" : ": " + result.errors()));
    }
    long bitRate = (long) number(fields.get("bit_rate"));
    int chapters = (int) result.stdout().lines().filter(line -> line.startsWith("id=")).count();
    return new OutputStream(
        fields.get("codec_name"),
        (int) number(fields.get("sample_rate")),
        (int) number(fields.get("channels")),
        bitRate,
        chapters);
  }

  /**
   * @param bitRate the audio stream's bit rate in bits per second (the container's when the stream
   *     states none)
   * @param chapters how many chapters the file holds
   */
  public record OutputStream(
      String codec, int sampleRate, int channels, long bitRate, int chapters) {}

  private record Result(String stdout, String errors) {}

  /**
   * The codec of the file's first picture (a video stream), or null when it has none or the picture
   * has no size: ffprobe picks an image reader by the file's extension and reports a text file
   * named .jpg as an mjpeg of 0 x 0.
   */
  public String pictureCodec(Path file) throws UnusableAudioException, IOException {
    Map<String, String> fields =
        fields(run(file, "v:0", "stream=codec_name,width,height").stdout());
    return number(fields.get("width")) > 0 && number(fields.get("height")) > 0
        ? fields.get("codec_name")
        : null;
  }

  private Result run(Path file, String entries) throws UnusableAudioException, IOException {
    return run(file, "a:0", entries);
  }

  private Result run(Path file, String streams, String entries)
      throws UnusableAudioException, IOException {
    List<String> command = new ArrayList<>(List.of(ffprobe.toString(), "-v", "error"));
    command.addAll(InputOptions.probe());
    command.addAll(
        List.of(
            "-select_streams",
            streams,
            "-show_entries",
            entries,
            "-of",
            "default=noprint_wrappers=1",
            file.toString()));
    Process process = launcher.start(command);
    var stderr = new StreamTail(process.getErrorStream(), "ffprobe-stderr");
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            () -> ProcessTree.kill(process.toHandle(), KILL_GRACE),
            CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    int exit;
    String stdout;
    try {
      stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      exit = process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.kill(process.toHandle(), KILL_GRACE);
      throw new IOException("interrupted while probing " + file, e);
    } finally {
      watchdog.cancel(false);
    }
    String errors = FfmpegExit.oneLine(stderr.text());
    if (exit > 128) {
      throw new IOException(
          "ffprobe on "
              + file
              + " was killed (exit "
              + exit
              + ") after "
              + TIMEOUT.toSeconds()
              + " s");
    }
    if (exit != 0) {
      throw new UnusableAudioException(errors.isBlank() ? "ffprobe exited " + exit : errors);
    }
    return new Result(stdout, errors);
  }

  private static Map<String, String> fields(String stdout) {
    Map<String, String> fields = new HashMap<>();
    stdout
        .lines()
        .forEach(
            line -> {
              int eq = line.indexOf('=');
              if (eq > 0 && !line.substring(eq + 1).equals("N/A")) {
                fields.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
              }
            });
    return fields;
  }

  private static AudioProbe parse(String stdout, String errors) throws UnusableAudioException {
    Map<String, String> fields = fields(stdout);
    String hint = errors.isBlank() ? "" : " (ffprobe: " + errors + ")";
    if (!fields.containsKey("codec_name")) {
      throw new UnusableAudioException("no audio stream" + hint);
    }
    int sampleRate = (int) number(fields.get("sample_rate"));
    int channels = (int) number(fields.get("channels"));
    if (sampleRate <= 0 || channels <= 0) {
      throw new UnusableAudioException(
          "no decodable audio: sample rate " + sampleRate + ", channels " + channels + hint);
    }
    double duration = number(fields.get("duration")) - number(fields.get("start_time"));
    if (!(duration > 0)) {
      throw new UnusableAudioException("zero or unknown duration" + hint);
    }
    return new AudioProbe(fields.get("codec_name"), sampleRate, channels, duration);
  }

  /** ffprobe writes N/A for what it does not know; that counts as 0. */
  private static double number(String value) {
    try {
      return value == null ? 0 : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
