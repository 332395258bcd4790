package dev.concat.activities.ffmpeg;

import dev.concat.activities.chunk.Mp3FrameHeader;
import dev.concat.activities.chunk.Mp3Timeline;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds every audio frame of an MP3 that FFmpeg's muxer wrote, by walking its frame headers from
 * the Info frame on: a few milliseconds a minute of audio, where decoding takes a second.
 */
public final class Mp3FrameScan {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final int ID3_HEADER_BYTES = 10;

  private Mp3FrameScan() {}

  /**
   * The file's timeline, or empty when it has no Info frame with a LAME tag, or its frames are not
   * the ones the Info frame counts (a frame this scan cannot parse, say): then only a full decode
   * tells where its audio lies.
   */
  public static Optional<Mp3Timeline> timeline(Path file) throws IOException {
    Optional<Mp3InfoTag> tag = Mp3InfoTag.read(file);
    if (tag.isEmpty()) {
      return Optional.empty();
    }
    long frames = tag.get().frames();
    long bytes = Files.size(file);
    long[] offsets = new long[(int) Math.min(frames, Integer.MAX_VALUE - 8)];
    int count = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES)) {
      in.mark(ID3_HEADER_BYTES);
      byte[] head = in.readNBytes(ID3_HEADER_BYTES);
      in.reset();
      long position = head.length < ID3_HEADER_BYTES ? 0 : InfoFrameCut.firstFrame(head);
      in.skipNBytes(position);
      byte[] header = new byte[Mp3FrameHeader.LENGTH];
      boolean infoFrame = true;
      while (in.readNBytes(header, 0, header.length) == header.length) {
        Mp3FrameHeader parsed;
        try {
          parsed = Mp3FrameHeader.parse(header, 0);
        } catch (IllegalArgumentException trailer) {
          // An ID3v1 or APE tag after the audio.
          break;
        }
        if (!infoFrame) {
          if (count == offsets.length) {
            return Optional.empty();
          }
          offsets[count++] = position;
        }
        infoFrame = false;
        int length = parsed.frameLength();
        position += length;
        if (position > bytes) {
          return Optional.empty();
        }
        in.skipNBytes(length - header.length);
      }
      if (count != frames) {
        return Optional.empty();
      }
      // Full: the array was made as long as the Info frame's count, and count is that count.
      return Optional.of(
          new Mp3Timeline(
              offsets,
              position,
              tag.get().decodedSamples(),
              tag.get().samplesPerFrame(),
              tag.get().delay() + Mp3Timeline.DECODER_DELAY));
    }
  }
}
