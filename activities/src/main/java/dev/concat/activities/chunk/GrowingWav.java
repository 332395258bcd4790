package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.WavFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PCM WAV that another process may still be writing (FFmpeg decoding the join), read by chunk
 * encoders as it grows: how many sample frames are on disk so far, and once the writer finished,
 * the whole file's format. A writer on a seekable file leaves the WAV header's sizes unknown until
 * it ends, so a reader of the growing file reads up to what is there.
 */
public final class GrowingWav {
  private static final long POLL_MILLIS = 20;

  private final Path file;
  private volatile WavFile.Format whole;
  private volatile IOException failure;

  private GrowingWav(Path file) {
    this.file = file;
  }

  /** A WAV still being written; its writer calls {@link #finished} or {@link #failed}. */
  public static GrowingWav writing(Path file) {
    return new GrowingWav(file);
  }

  /** A WAV written already. */
  public static GrowingWav whole(Path file) throws IOException {
    var wav = new GrowingWav(file);
    wav.finished();
    return wav;
  }

  public Path file() {
    return file;
  }

  /** The writer is done: the file is whole. */
  public void finished() throws IOException {
    whole = WavFile.format(file);
  }

  /** The writer failed: readers waiting for more stop with {@code why}. */
  public void failed(IOException why) {
    failure = why;
  }

  /** The format, once the header is on disk; its sample count is what is on disk so far. */
  WavFile.Format awaitHeader() throws IOException, InterruptedException {
    return await(0);
  }

  /**
   * Waits until at least {@code frames} sample frames are on disk, or the writer finished with
   * fewer; the format returned counts the frames on disk.
   */
  WavFile.Format await(long frames) throws IOException, InterruptedException {
    return await(frames, null);
  }

  /** Waits as above for up to {@code limit} (null: for as long as it takes); null after it. */
  WavFile.Format await(long frames, Duration limit) throws IOException, InterruptedException {
    long started = System.nanoTime();
    while (true) {
      WavFile.Format done = whole;
      if (done != null) {
        return done;
      }
      if (failure != null) {
        throw new IOException("the PCM decode of the join failed: " + failure.getMessage());
      }
      WavFile.Format sofar = onDisk();
      if (sofar != null && sofar.sampleFrames() >= frames) {
        return sofar;
      }
      if (limit != null && System.nanoTime() - started >= limit.toNanos()) {
        return null;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The whole file's format, once the writer finished. */
  WavFile.Format awaitWhole() throws IOException, InterruptedException {
    return await(Long.MAX_VALUE);
  }

  /** What is on disk, or null before the writer flushed the header. */
  private WavFile.Format onDisk() {
    try {
      return Files.isRegularFile(file) ? WavFile.format(file) : null;
    } catch (IOException headerNotYetWritten) {
      return null;
    }
  }
}
