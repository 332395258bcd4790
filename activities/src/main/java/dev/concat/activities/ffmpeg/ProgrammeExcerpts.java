package dev.concat.activities.ffmpeg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A few short excerpts of the joined programme, spread over it, kept as 32-bit float WAV files
 * while the first loudness pass reads the join: what {@link EncoderDropProbe} encodes to learn how
 * much the output's encoder lowers this programme's loudness.
 */
final class ProgrammeExcerpts {
  /** Shorter programmes are encoded again when they miss, which costs them little. */
  static final double MIN_PROGRAMME_SECONDS = 240;

  static final int COUNT = 4;
  static final double SECONDS = 20;

  /**
   * The start of each excerpt that is encoded but not measured: a fresh AAC encoder's rate control
   * settles over several seconds (AUDIO-CHUNKS.md), and measured from its first sample an 8 s
   * excerpt of pink noise read 0.054 LU less drop than the whole programme had.
   */
  static final double SETTLE_SECONDS = 8;

  /** RIFF, fmt (16 bytes: IEEE float) and data chunk headers. */
  private static final int HEADER_BYTES = 44;

  private static final short IEEE_FLOAT = 3;

  private final Path dir;
  private final int channels;
  private final long[] starts;
  private final long length;
  private final int sampleRate;
  private final List<OutputStream> open = new ArrayList<>();
  private long position;

  /** Set when an excerpt could not be written (a full disk): the excerpts are then not used. */
  private boolean failed;

  private ProgrammeExcerpts(Path dir, int sampleRate, int channels, long[] starts, long length) {
    this.dir = dir;
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.starts = starts;
    this.length = length;
  }

  /**
   * Excerpts of a programme of about {@code expectedSeconds}, centred in equal parts of it; none
   * (an empty set) for a programme shorter than {@link #MIN_PROGRAMME_SECONDS}.
   */
  static ProgrammeExcerpts of(Path dir, double expectedSeconds, int sampleRate, int channels) {
    if (expectedSeconds < MIN_PROGRAMME_SECONDS) {
      return new ProgrammeExcerpts(dir, sampleRate, channels, new long[0], 0);
    }
    long length = (long) (SECONDS * sampleRate);
    long total = (long) (expectedSeconds * sampleRate);
    long[] starts = new long[COUNT];
    for (int i = 0; i < COUNT; i++) {
      starts[i] = total * (2L * i + 1) / (2L * COUNT) - length / 2;
    }
    return new ProgrammeExcerpts(dir, sampleRate, channels, starts, length);
  }

  /** The file of excerpt {@code i}. */
  Path file(int i) {
    return dir.resolve("excerpt-" + i + ".wav");
  }

  /** The excerpts' files, when every one was written whole; empty otherwise. */
  List<Path> complete() {
    if (failed) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      Path file = file(i);
      try {
        if (!Files.isRegularFile(file) || Files.size(file) != HEADER_BYTES + dataBytes()) {
          return List.of();
        }
      } catch (IOException e) {
        return List.of();
      }
      files.add(file);
    }
    return files;
  }

  /** Samples each excerpt holds, per channel. */
  long length() {
    return length;
  }

  /** Where in each excerpt its measured part starts, after the encoder has settled. */
  long settled() {
    return (long) (SETTLE_SECONDS * sampleRate);
  }

  /** Takes the next {@code frames} frames of the programme, keeping what falls in an excerpt. */
  void add(float[] interleaved, int frames) {
    for (int i = 0; i < starts.length; i++) {
      long from = Math.max(position, starts[i]);
      long to = Math.min(position + frames, starts[i] + length);
      if (from < to) {
        write(i, interleaved, (int) (from - position), (int) (to - from));
      }
    }
    position += frames;
  }

  /** Closes the files written; an excerpt the programme did not reach stays short, so unused. */
  void close() {
    for (OutputStream out : open) {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          failed = true;
        }
      }
    }
    open.clear();
  }

  private void write(int excerpt, float[] interleaved, int firstFrame, int frames) {
    if (failed) {
      return;
    }
    try {
      while (open.size() <= excerpt) {
        open.add(null);
      }
      if (open.get(excerpt) == null) {
        OutputStream out = Files.newOutputStream(file(excerpt));
        open.set(excerpt, out);
        out.write(header());
      }
      ByteBuffer bytes =
          ByteBuffer.allocate(frames * channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(interleaved, firstFrame * channels, frames * channels);
      open.get(excerpt).write(bytes.array());
    } catch (IOException e) {
      // The measurement goes on; only the probe loses its excerpts.
      failed = true;
    }
  }

  private long dataBytes() {
    return length * channels * Float.BYTES;
  }

  /** A WAV header for a whole excerpt: its length is known before its first sample. */
  private byte[] header() {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes()));
    header.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    header.putShort(IEEE_FLOAT).putShort((short) channels).putInt(sampleRate);
    header.putInt(sampleRate * channels * Float.BYTES).putShort((short) (channels * Float.BYTES));
    header.putShort((short) 32);
    header.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes());
    return header.array();
  }
}
