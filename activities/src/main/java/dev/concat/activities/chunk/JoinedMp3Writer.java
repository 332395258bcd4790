package dev.concat.activities.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes the joined stream: an {@link InfoFrame}, then each chunk's own frames in order, its
 * pre-roll frames dropped, its post-roll frames dropped except after the last chunk (where they
 * are the encoder's flush, part of the one-pass stream).
 */
final class JoinedMp3Writer {
  private static final int TOC_ENTRIES = 100;

  /** @return bytes written */
  static long write(ChunkGrid grid, List<Mp3Chunk> chunks, List<Path> chunkFiles, Path output) throws IOException {
    long total = grid.frameCount();
    long[] tocFrames = new long[TOC_ENTRIES];
    for (int i = 0; i < TOC_ENTRIES; i++) {
      tocFrames[i] = i * total / TOC_ENTRIES;
    }
    long[] tocOffsets = new long[TOC_ENTRIES];
    int nextToc = 0;
    var musicCrc = new Crc16Arc();
    long audioBytes = 0;
    long frames = 0;
    InfoFrame info = null;
    try (FileChannel out = FileChannel.open(output, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int c = 0; c < chunks.size(); c++) {
        Mp3Chunk chunk = chunks.get(c);
        Mp3Frames encoded = Mp3Frames.read(chunkFiles.get(c));
        int from = chunk.framesToDrop();
        int to = (int) (from + chunk.ownFrames());
        if (chunk.last() ? encoded.count() != to : encoded.count() < to) {
          throw new IOException("chunk " + chunk.index() + " (" + chunkFiles.get(c) + ") has " + encoded.count()
              + " frames; its place in the stream needs " + (chunk.last() ? "exactly " : "at least ") + to);
        }
        if (info == null) {
          info = new InfoFrame(encoded.firstHeader());
          out.position(info.length());
        }
        for (; nextToc < TOC_ENTRIES && tocFrames[nextToc] < chunk.endFrame(); nextToc++) {
          int local = (int) (tocFrames[nextToc] - chunk.firstFrame()) + from;
          tocOffsets[nextToc] = audioBytes + encoded.start(local) - encoded.start(from);
        }
        ByteBuffer own = encoded.frames(from, to);
        musicCrc.update(own);
        audioBytes += own.remaining();
        frames += to - from;
        while (own.hasRemaining()) {
          out.write(own);
        }
      }
      if (frames != total) {
        throw new IOException("the chunks hold " + frames + " frames; " + grid.samples() + " samples need " + total);
      }
      var stream = new InfoFrame.Stream(frames, audioBytes, tocOffsets, ChunkGrid.ENCODER_DELAY,
          (int) grid.endPadding(), musicCrc.value());
      ByteBuffer header = ByteBuffer.wrap(info.bytes(stream));
      while (header.hasRemaining()) {
        out.write(header, header.position());
      }
      return info.length() + audioBytes;
    }
  }

  private JoinedMp3Writer() {}
}
