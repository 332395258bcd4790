package dev.concat.activities.ffmpeg;

import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters an MP3 while the join's FFmpeg is still writing it: a second FFmpeg decodes the stream
 * from a FIFO, which this class fills with the file's bytes as they appear, and the Java meter
 * measures the samples ({@link ChunkLoudnessMeter#measureMp3Stream}), in full precision and at
 * about half the CPU of FFmpeg's {@code ebur128} with its true peak. On a machine with a free core
 * the measurement then costs no wall time: it ends a moment after the encode instead of taking
 * another full decode afterwards.
 *
 * <p>The meter sees the bytes as first written: the muxer rewrites only the Info frame at the end,
 * which a decoder skips either way. It drops the encoder delay itself ({@link
 * FfmpegCommand#MP3_STREAM_DELAY_SAMPLES}); the end padding, which the stream holds and the
 * finished file's Info frame trims, is left out once the encode is done and that Info frame says
 * where the programme ends, so the reading is the finished file's. Anything unusual (no {@code
 * mkfifo}, the meter failing, a result that does not cover the whole file) reports nothing, and the
 * caller measures the finished file the ordinary way.
 */
final class ConcurrentOutputMeter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConcurrentOutputMeter.class);

  /** How often the feeder looks for new bytes while the encoder is still writing. */
  private static final long POLL_MILLIS = 20;

  private static final int CHUNK_BYTES = 256 * 1024;

  /**
   * How long the meter may go without decoding further once the encode is done: it may lag the
   * encoder on a busy host, but a meter that stops advancing is stuck.
   */
  private static final Duration FINISH_LIMIT = Duration.ofSeconds(60);

  private final String jobId;
  private final Path source;
  private final Path fifo;
  private final CompletableFuture<ChunkLoudness> meter;
  private final Thread meterThread;
  private final Thread feeder;
  private final AtomicLong decodedMicros = new AtomicLong();
  private volatile boolean sourceComplete;

  /**
   * The source, open: by the feeder once the encoder created it, or by {@link #sourceComplete} if
   * the encoder finished first. The join renames the file at once, and a short output was renamed
   * before the feeder had opened it (1 run in 12 of a 4.4 s output), which then went unmetered.
   */
  private final AtomicReference<FileChannel> input = new AtomicReference<>();

  /**
   * The samples the finished file plays, as its Info frame says once the encoder has rewritten it;
   * -1 until then, or when it has none. Set before the meter's input ends.
   */
  private volatile long programmeEnd = -1;

  private volatile boolean abandoned;
  private volatile Exception feedFailure;

  private ConcurrentOutputMeter(String jobId, Path source, Path fifo, ChunkLoudnessMeter reader) {
    this.jobId = jobId;
    this.source = source;
    this.fifo = fifo;
    this.meter = new CompletableFuture<>();
    this.meterThread =
        new Thread(
            () -> {
              try {
                meter.complete(
                    reader.measureMp3Stream(
                        fifo,
                        FfmpegCommand.MP3_STREAM_DELAY_SAMPLES,
                        decodedMicros::set,
                        () -> programmeEnd));
              } catch (Throwable e) {
                meter.completeExceptionally(e);
              }
            },
            "output-meter-" + jobId);
    meterThread.setDaemon(true);
    this.feeder = new Thread(this::feed, "output-meter-feed-" + jobId);
    feeder.setDaemon(true);
    meterThread.start();
    feeder.start();
  }

  /**
   * Starts metering {@code source}, which the encoder is about to write; empty when this host
   * cannot make a FIFO next to it.
   */
  static Optional<ConcurrentOutputMeter> start(
      String jobId, Path source, ChunkLoudnessMeter reader) {
    Path fifo = source.resolveSibling(source.getFileName() + ".meter");
    try {
      if (!NamedPipe.make(fifo)) {
        log.info(
            "job {}: no FIFO for metering the output while it is written; it is measured afterwards",
            jobId);
        return Optional.empty();
      }
    } catch (IOException e) {
      log.info(
          "job {}: cannot make a FIFO ({}); the output is measured after it is written",
          jobId,
          e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(new ConcurrentOutputMeter(jobId, source, fifo, reader));
  }

  /** The encoder exited 0: every byte of the source is written. */
  void sourceComplete() {
    try {
      openInput();
    } catch (IOException e) {
      // The feeder finds no file and fails; the output is measured again after the join.
      log.debug("job {}: cannot open {} for its meter: {}", jobId, source, e.toString());
    }
    sourceComplete = true;
  }

  /** How far the meter has decoded, for progress. */
  long decodedMicros() {
    return decodedMicros.get();
  }

  /**
   * The meter's reading once it has decoded the whole source; empty when it failed, which the log
   * says. {@code waiting} is called while the meter finishes (to heartbeat).
   */
  Optional<LoudnessSummary> result(Runnable waiting) throws InterruptedException {
    long deadline = System.nanoTime() + FINISH_LIMIT.toNanos();
    long decoded = decodedMicros.get();
    while (true) {
      try {
        ChunkLoudness loudness = meter.get(200, TimeUnit.MILLISECONDS);
        if (feedFailure != null) {
          log.warn(
              "job {}: feeding the output's meter while it was written failed ({}); measuring it"
                  + " again",
              jobId,
              feedFailure.toString());
          return Optional.empty();
        }
        return Optional.of(
            new LoudnessSummary(
                Math.max(LinearGain.SILENCE_LUFS, loudness.integratedLufs()),
                loudness.truePeakDb(),
                loudness.loudnessRangeLu()));
      } catch (TimeoutException e) {
        if (decodedMicros.get() > decoded) {
          decoded = decodedMicros.get();
          deadline = System.nanoTime() + FINISH_LIMIT.toNanos();
        } else if (System.nanoTime() > deadline) {
          log.warn(
              "job {}: the output meter decoded nothing for {} s after the encode; measuring again",
              jobId,
              FINISH_LIMIT.toSeconds());
          return Optional.empty();
        }
        waiting.run();
      } catch (ExecutionException e) {
        log.warn(
            "job {}: the output meter failed ({}); measuring again",
            jobId,
            e.getCause().toString());
        return Optional.empty();
      }
    }
  }

  /**
   * Copies the source's bytes into the FIFO as they appear, all but its Info frame ({@link
   * InfoFrameCut}), and ends the meter's input after the last.
   */
  private void feed() {
    try (FileChannel sink = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
      FileChannel in = null;
      var head = new ByteArrayOutputStream();
      boolean headSent = false;
      try {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
        while (!abandoned) {
          if (in == null) {
            in = openInput();
          }
          boolean complete = sourceComplete;
          int read = in == null ? -1 : in.read(buffer.clear());
          if (read > 0 && headSent) {
            writeFully(sink, buffer.flip());
          } else if (read > 0) {
            head.write(buffer.array(), 0, read);
            headSent = sendWithoutInfoFrame(sink, head.toByteArray());
          } else if (complete) {
            if (!headSent) {
              throw new IOException("the output ended before its first frame");
            }
            // Through the open file: the join renames it once the encoder is done.
            programmeEnd =
                Mp3InfoTag.read(Channels.newInputStream(in.position(0)))
                    .map(Mp3InfoTag::decodedSamples)
                    .orElse(-1L);
            return;
          } else {
            Thread.sleep(POLL_MILLIS);
          }
        }
      } finally {
        closeInput();
      }
    } catch (IOException | IllegalArgumentException e) {
      feedFailure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends {@code head} without its Info frame, once it holds all of it; says whether it did. */
  private static boolean sendWithoutInfoFrame(FileChannel sink, byte[] head) throws IOException {
    OptionalInt end = InfoFrameCut.infoFrameEnd(head);
    if (end.isEmpty()) {
      return false;
    }
    // The ID3 tag goes along: the demuxer skips it as it would in the file.
    int id3End = InfoFrameCut.firstFrame(head);
    writeFully(sink, ByteBuffer.wrap(head, 0, id3End));
    writeFully(sink, ByteBuffer.wrap(head, end.getAsInt(), head.length - end.getAsInt()));
    return true;
  }

  private void closeInput() throws IOException {
    FileChannel open = input.get();
    if (open != null) {
      open.close();
    }
  }

  /** The source opened by whoever came first; null while the encoder has not created it. */
  private FileChannel openInput() throws IOException {
    FileChannel open = input.get();
    if (open != null) {
      return open;
    }
    try {
      open = FileChannel.open(source, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    if (!input.compareAndSet(null, open)) {
      open.close();
    }
    return input.get();
  }

  private static void writeFully(WritableByteChannel sink, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      sink.write(buffer);
    }
  }

  /**
   * Stops the meter and the feeder if they still run, and removes the FIFO and the meter's frame
   * log.
   */
  @Override
  public void close() {
    abandoned = true;
    meterThread.interrupt();
    // Abandoned, its reading is worth nothing: SIGKILL, not the TERM-and-grace that FFmpeg, blocked
    // reading the FIFO, would sit out. The first process naming the FIFO is the launcher's guard or
    // a wrapper script; its children go with it.
    String fifoArg = fifo.toString();
    ProcessHandle.current()
        .children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(fifoArg)).orElse(false))
        .forEach(ProcessTree::killNow);
    if (feeder.isAlive()) {
      // A feeder still opening the FIFO waits for a reader: be one for a moment, so it can see it
      // is abandoned. Opened read-write, which on Linux never blocks: opened read-only, it waited
      // forever for a writer when the feeder had just closed its end (a test hung so for an hour).
      try (var reader = new RandomAccessFile(fifo.toFile(), "rw")) {
        feeder.join(1_000);
      } catch (IOException e) {
        log.debug("job {}: opening the meter FIFO to release its feeder: {}", jobId, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      meterThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(fifo);
      // Opened by sourceComplete after an abandoned feeder had ended.
      closeInput();
    } catch (IOException e) {
      log.debug("job {}: cannot delete {}: {}", jobId, fifo, e.toString());
    }
  }
}
