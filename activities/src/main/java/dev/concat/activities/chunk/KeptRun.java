package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The frames a spread MP3 encode's run of consecutive chunks keeps, joined as {@link
 * JoinedMp3Writer} joins them (pre- and post-roll dropped, the bit reservoir carried across the
 * seams inside the run), so that they are byte for byte the output's and its upload can copy them
 * server-side. The carry into a chunk's last frames comes from the chunk after it: a run that does
 * not end the stream keeps its last chunk only when the next run's first chunk is at hand ({@link
 * Next}), and a seam with no room to carry (where the host encodes the next chunk again) ends the
 * run there.
 */
public final class KeptRun {

  /**
   * @param first the index of the first chunk written
   * @param end one past the last
   * @param bytes bytes written
   * @param sha256 their SHA-256, in hex
   */
  public record Written(int first, int end, long bytes, String sha256) {}

  /**
   * The chunk after the run, encoded by another run's worker: what its first kept frame borrows is
   * carried into the run's last chunk.
   *
   * @param file its encoded frames, pre-roll included
   * @param framesToDrop its pre-roll frames
   */
  public record Next(Path file, int framesToDrop) {}

  private KeptRun() {}

  /**
   * Writes the kept frames of {@code chunks}, encoded into {@code files}, to {@code out}.
   *
   * @param next the chunk after the last, when its frames are at hand
   * @return empty when no chunk could be written (the run is one chunk that does not end the
   *     stream, and the next is not at hand)
   */
  public static Optional<Written> write(
      List<Mp3Chunk> chunks,
      List<Path> files,
      Optional<Next> next,
      BitReservoir reservoir,
      Path out)
      throws IOException {
    MessageDigest sha256 = sha256();
    long bytes = 0;
    int end = chunks.get(0).index();
    try (FileChannel channel =
        FileChannel.open(
            out,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      KeptFrames previous = null;
      for (int i = 0; i < chunks.size(); i++) {
        KeptFrames current = KeptFrames.read(chunks.get(i), files.get(i));
        if (previous != null) {
          if (reservoir == BitReservoir.CARRIED
              && !previous.carryFrom(current.frames(), current.from())) {
            previous = null;
            break;
          }
          bytes += append(previous, channel, sha256);
          end = previous.chunk().index() + 1;
        }
        previous = current;
      }
      if (previous != null && (previous.chunk().last() || carried(previous, next, reservoir))) {
        bytes += append(previous, channel, sha256);
        end = previous.chunk().index() + 1;
      }
    }
    if (bytes == 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Written(chunks.get(0).index(), end, bytes, HexFormat.of().formatHex(sha256.digest())));
  }

  /** Carries into the run's last chunk what the next chunk borrows; false when it cannot. */
  private static boolean carried(KeptFrames last, Optional<Next> next, BitReservoir reservoir)
      throws IOException {
    if (next.isEmpty()) {
      return false;
    }
    if (reservoir == BitReservoir.OFF) {
      return true;
    }
    Mp3Frames frames = Mp3Frames.read(next.get().file());
    return next.get().framesToDrop() < frames.count()
        && last.carryFrom(frames, next.get().framesToDrop());
  }

  private static long append(KeptFrames kept, FileChannel channel, MessageDigest sha256)
      throws IOException {
    ByteBuffer own = kept.bytes();
    sha256.update(own.duplicate());
    long length = own.remaining();
    while (own.hasRemaining()) {
      channel.write(own);
    }
    return length;
  }

  /** The digest the output's upload checks a run against, reading its own bytes. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
