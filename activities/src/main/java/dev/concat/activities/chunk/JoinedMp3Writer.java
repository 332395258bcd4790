package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the joined stream: an {@link InfoFrame}, then each chunk's own frames in order, its
 * pre-roll frames dropped, its post-roll frames dropped except after the last chunk (where they are
 * the encoder's flush, part of the one-pass stream). A chunk is written once the next one is read,
 * so that the bytes the next one borrows from its bit reservoir can be carried into it; the Info
 * frame, which counts them all, last.
 */
final class JoinedMp3Writer implements AutoCloseable {
  private static final int TOC_ENTRIES = 100;

  /**
   * Encodes a chunk again with the bit reservoir off, for a seam with no room to carry the
   * reservoir.
   */
  interface ReservoirFreeEncode {
    Mp3Frames encode(Mp3Chunk chunk) throws IOException, InterruptedException;
  }

  /**
   * @param bytes bytes of the output file
   * @param reencodedChunks chunks encoded again because their seam had no room for the carry
   * @param frameOffsets where each audio frame starts in the file
   */
  record Written(long bytes, int reencodedChunks, long[] frameOffsets) {}

  private final ChunkGrid grid;
  private final FileChannel out;

  /** Where the Info frame starts: after the ID3v2 tag. */
  private final long infoOffset;

  private final BitReservoir reservoir;
  private final ReservoirFreeEncode reservoirFree;
  private final long[] tocFrames = new long[TOC_ENTRIES];
  private final long[] tocOffsets = new long[TOC_ENTRIES];
  private final Crc16Arc musicCrc = new Crc16Arc();
  private final long[] frameOffsets;
  private InfoFrame info;
  private KeptFrames previous;
  private int reencoded;
  private long audioStart;
  private int nextToc;
  private long audioBytes;
  private long frames;

  private JoinedMp3Writer(
      ChunkGrid grid,
      FileChannel out,
      long infoOffset,
      BitReservoir reservoir,
      ReservoirFreeEncode reservoirFree) {
    this.grid = grid;
    this.out = out;
    this.infoOffset = infoOffset;
    this.reservoir = reservoir;
    this.reservoirFree = reservoirFree;
    this.frameOffsets = new long[Math.toIntExact(grid.frameCount())];
    for (int i = 0; i < TOC_ENTRIES; i++) {
      tocFrames[i] = i * grid.frameCount() / TOC_ENTRIES;
    }
  }

  /**
   * Starts {@code output} with {@code tag}; the chunks follow with {@link #add}, in order.
   *
   * @param tag written first: an ID3v2 tag, or nothing
   * @param reservoir how the chunks were encoded: with {@link BitReservoir#CARRIED}, seams carry
   *     what frames borrow
   */
  static JoinedMp3Writer open(
      ChunkGrid grid,
      Path output,
      byte[] tag,
      BitReservoir reservoir,
      ReservoirFreeEncode reservoirFree)
      throws IOException {
    FileChannel out =
        FileChannel.open(
            output,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      ByteBuffer tagBytes = ByteBuffer.wrap(tag);
      while (tagBytes.hasRemaining()) {
        out.write(tagBytes);
      }
    } catch (IOException e) {
      out.close();
      throw e;
    }
    return new JoinedMp3Writer(grid, out, tag.length, reservoir, reservoirFree);
  }

  /**
   * Adds the next chunk, encoded into {@code file}. The chunk before it is written now: what this
   * one borrows from its bit reservoir is carried into it first.
   */
  void add(Mp3Chunk chunk, Path file) throws IOException, InterruptedException {
    KeptFrames current = KeptFrames.read(chunk, file);
    if (info == null) {
      info = new InfoFrame(current.frames().firstHeader());
      audioStart = infoOffset + info.length();
      out.position(audioStart);
    }
    if (previous != null) {
      if (reservoir == BitReservoir.CARRIED
          && !previous.carryFrom(current.frames(), current.from())) {
        current = KeptFrames.of(chunk, reservoirFree.encode(chunk), file);
        reencoded++;
      }
      append(previous);
    }
    previous = current;
  }

  /** Writes the last chunk and the Info frame in front of them all. */
  Written finish() throws IOException {
    if (previous == null) {
      throw new IOException("no chunk to join");
    }
    append(previous);
    writeInfoFrame(info);
    return new Written(audioStart + audioBytes, reencoded, frameOffsets);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void append(KeptFrames kept) throws IOException {
    Mp3Chunk chunk = kept.chunk();
    for (; nextToc < TOC_ENTRIES && tocFrames[nextToc] < chunk.endFrame(); nextToc++) {
      int local = (int) (tocFrames[nextToc] - chunk.firstFrame()) + kept.from();
      tocOffsets[nextToc] =
          audioBytes + kept.frames().start(local) - kept.frames().start(kept.from());
    }
    for (int f = kept.from(); f < kept.to(); f++) {
      frameOffsets[(int) (frames + f - kept.from())] =
          audioStart + audioBytes + kept.frames().start(f) - kept.frames().start(kept.from());
    }
    ByteBuffer own = kept.bytes();
    musicCrc.update(own);
    audioBytes += own.remaining();
    frames += kept.to() - kept.from();
    while (own.hasRemaining()) {
      out.write(own);
    }
  }

  private void writeInfoFrame(InfoFrame info) throws IOException {
    if (frames != grid.frameCount()) {
      throw new IOException(
          "the chunks hold "
              + frames
              + " frames; "
              + grid.samples()
              + " samples need "
              + grid.frameCount());
    }
    var stream =
        new InfoFrame.Stream(
            frames,
            audioBytes,
            tocOffsets,
            ChunkGrid.ENCODER_DELAY,
            (int) grid.endPadding(),
            musicCrc.value());
    ByteBuffer header = ByteBuffer.wrap(info.bytes(stream));
    while (header.hasRemaining()) {
      out.write(header, infoOffset + header.position());
    }
  }
}
