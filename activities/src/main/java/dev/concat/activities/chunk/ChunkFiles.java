package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.WavFile;
import dev.concat.activities.loudness.ChunkLoudnessFile;
import dev.concat.activities.workdir.ChunkCache;
import dev.concat.activities.workdir.WholeFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a chunked encode keeps its chunk files, each named by a digest of what it encodes: the PCM
 * its encoder reads, the chunk's place on the grid and the encoder's settings. A chunk file is
 * written under a temporary name and renamed once its encoder succeeded, so a file under a chunk's
 * name is that chunk, whole. An attempt that follows a crash on the same host (the job's work
 * directory kept) finds the chunks the lost attempt finished and encodes only the others; a chunk
 * whose input changed has another name and is encoded again. Where the host keeps chunks after
 * their jobs ({@link ChunkCache}), a chunk an earlier job encoded from the same input is linked
 * from there, and the chunks of a written join go there.
 */
final class ChunkFiles {

  private static final int READ_BYTES = 1 << 20;

  private final Path dir;
  private final Path wav;
  private final WavFile.Format format;
  private final int bitRateKbps;
  private final ChunkCache cache;

  ChunkFiles(Path dir, Path wav, WavFile.Format format, int bitRateKbps) {
    this(dir, wav, format, bitRateKbps, ChunkCache.NONE);
  }

  ChunkFiles(Path dir, Path wav, WavFile.Format format, int bitRateKbps, ChunkCache cache) {
    this.dir = dir;
    this.wav = wav;
    this.format = format;
    this.bitRateKbps = bitRateKbps;
    this.cache = cache;
  }

  /** The file of {@code chunk} encoded with {@code reservoir}; reads the chunk's PCM to name it. */
  Path file(Mp3Chunk chunk, BitReservoir reservoir) throws IOException {
    return file(
        chunk,
        String.format(
            Locale.ROOT,
            "mp3 %d kb/s reservoir %s rate %d channels %d chunk %s%n",
            bitRateKbps,
            reservoir,
            format.sampleRate(),
            format.channels(),
            chunk),
        "mp3");
  }

  /** The file of {@code chunk}, AAC in ADTS; reads the chunk's PCM to name it. */
  Path file(AacChunk chunk) throws IOException {
    return file(
        chunk,
        String.format(
            Locale.ROOT,
            "aac %d kb/s rate %d channels %d chunk %s%n",
            bitRateKbps,
            format.sampleRate(),
            format.channels(),
            chunk),
        "aac");
  }

  private Path file(GridChunk chunk, String settings, String extension) throws IOException {
    MessageDigest digest = DigestName.digest();
    digest.update(settings.getBytes(StandardCharsets.UTF_8));
    long from = format.dataOffset() + chunk.inputStart() * format.blockAlign();
    long to = format.dataOffset() + chunk.inputEnd() * format.blockAlign();
    try (FileChannel in = FileChannel.open(wav, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
      for (long position = from; position < to; ) {
        buffer.clear().limit((int) Math.min(READ_BYTES, to - position));
        int read = in.read(buffer, position);
        if (read < 0) {
          throw new IOException(wav + " ends before chunk " + chunk.index() + "'s input");
        }
        digest.update(buffer.flip());
        position += read;
      }
    }
    Path file = dir.resolve(namePrefix(chunk.index()) + DigestName.of(digest) + "." + extension);
    // The measurement first: a whole chunk has its measurement.
    cache.restore(ChunkLoudnessFile.beside(file));
    cache.restore(file);
    return file;
  }

  /** How the name of chunk {@code index}'s every file begins. */
  static String namePrefix(int index) {
    return String.format(Locale.ROOT, "chunk-%05d-", index);
  }

  /** Deletes what stopped encoders left half written; whole chunks stay. */
  void deleteUnfinished() throws IOException {
    for (Path file : chunkFiles()) {
      if (file.getFileName().toString().endsWith(WholeFile.PART)) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * Deletes every chunk file, whole or not: the join is written. The whole ones go to the host's
   * chunk cache, where it keeps any.
   */
  void deleteAll() throws IOException {
    for (Path file : chunkFiles()) {
      if (file.getFileName().toString().endsWith(WholeFile.PART)) {
        Files.deleteIfExists(file);
      } else {
        cache.keep(file);
      }
    }
    cache.trim();
  }

  /**
   * The chunk files in the directory, names in reverse order: a chunk's measurement (its name and a
   * suffix) comes before the chunk, so the cache never holds a chunk without it.
   */
  private List<Path> chunkFiles() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("chunk-"))
          .sorted(Comparator.reverseOrder())
          .toList();
    }
  }
}
