package dev.concat.activities.chunk;

import dev.concat.activities.ffmpeg.WavFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks of a chunked MP3 encode cut out of the joined PCM as WAV files of their own, for
 * encoders on other hosts. A piece holds its chunk's whole input (pre- and post-roll included), so
 * its encoder writes the same frames as a local encoder reading that range of the join; it is named
 * as {@link ChunkFiles} names the chunk's file, so those frames, fetched back under that name, are
 * the chunk file a local join finds and does not encode again.
 */
public final class PcmPieces {
  /** RIFF, fmt and data headers of a plain 16-bit PCM WAV. */
  private static final int HEADER_BYTES = 44;

  /**
   * @param chunk the chunk on the whole join's grid
   * @param name its chunk file's name without the extension
   */
  public record Piece(Mp3Chunk chunk, String name) {
    public String inputName() {
      return name + ".wav";
    }

    /** The chunk file's name, which its encoded frames are stored and fetched back under. */
    public String outputName() {
      return name + ".mp3";
    }

    public long inputSamples() {
      return chunk.inputEnd() - chunk.inputStart();
    }
  }

  /**
   * How the names of chunk {@code index}'s input and frames begin, where a digest of what they hold
   * follows.
   */
  public static String namePrefix(int index) {
    return ChunkFiles.namePrefix(index);
  }

  private final Path wav;
  private final WavFile.Format format;
  private final ChunkFiles names;
  private final BitReservoir reservoir;
  private final List<Piece> pieces = new ArrayList<>();

  /** Cuts {@code wav} (whole) on the grid a local chunked encode of it would use. */
  public PcmPieces(Path wav, int bitRateKbps, Duration chunkLength, BitReservoir reservoir)
      throws IOException {
    this(wav, bitRateKbps, chunkLength, reservoir, List.of());
  }

  /**
   * Cuts {@code wav} (whole) as above, taking the pieces in {@code named} as they are instead of
   * reading their input again to name them: those an {@link EarlyPieces} named as FFmpeg wrote it.
   */
  public PcmPieces(
      Path wav, int bitRateKbps, Duration chunkLength, BitReservoir reservoir, List<Piece> named)
      throws IOException {
    this(wav, WavFile.format(wav), bitRateKbps, reservoir);
    Map<Mp3Chunk, Piece> known = new HashMap<>();
    named.forEach(piece -> known.put(piece.chunk(), piece));
    var grid = new ChunkGrid(format.sampleFrames(), format.sampleRate(), bitRateKbps);
    for (Mp3Chunk chunk : grid.chunks(chunkLength)) {
      Piece piece = known.get(chunk);
      pieces.add(piece != null ? piece : piece(chunk));
    }
  }

  private PcmPieces(Path wav, WavFile.Format format, int bitRateKbps, BitReservoir reservoir) {
    this.wav = wav;
    this.format = format;
    this.names = new ChunkFiles(wav.getParent(), wav, format, bitRateKbps);
    this.reservoir = reservoir;
  }

  /**
   * No pieces yet of {@code wav}, which FFmpeg is still writing ({@code head} read from its header
   * so far): {@link #piece} names each once its input is on disk.
   */
  public static PcmPieces growing(
      Path wav, WavFile.Format head, int bitRateKbps, BitReservoir reservoir) {
    return new PcmPieces(wav, head, bitRateKbps, reservoir);
  }

  /** {@code chunk}'s piece, named by its input, which must be on disk. */
  public Piece piece(Mp3Chunk chunk) throws IOException {
    String file = names.file(chunk, reservoir).getFileName().toString();
    return new Piece(chunk, file.substring(0, file.length() - ".mp3".length()));
  }

  public List<Piece> pieces() {
    return List.copyOf(pieces);
  }

  /** The size of {@code piece}'s WAV file. */
  public long bytes(Piece piece) {
    return HEADER_BYTES + piece.inputSamples() * format.blockAlign();
  }

  /** Writes {@code piece}'s WAV file: its input range of the join after a plain header. */
  public void write(Piece piece, Path target) throws IOException {
    long dataBytes = piece.inputSamples() * format.blockAlign();
    long from = format.dataOffset() + piece.chunk().inputStart() * format.blockAlign();
    try (FileChannel in = FileChannel.open(wav, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      out.write(header(dataBytes));
      for (long copied = 0; copied < dataBytes; ) {
        long moved = in.transferTo(from + copied, dataBytes - copied, out);
        if (moved <= 0) {
          throw new IOException(wav + " ends before chunk " + piece.chunk().index() + "'s input");
        }
        copied += moved;
      }
    }
  }

  private ByteBuffer header(long dataBytes) {
    int bitsPerSample = format.blockAlign() / format.channels() * 8;
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII));
    header.putInt((int) (HEADER_BYTES - 8 + dataBytes));
    header.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
    header.putInt(16);
    header.putShort((short) 1);
    header.putShort((short) format.channels());
    header.putInt(format.sampleRate());
    header.putInt(format.sampleRate() * format.blockAlign());
    header.putShort((short) format.blockAlign());
    header.putShort((short) bitsPerSample);
    header.put("data".getBytes(StandardCharsets.US_ASCII));
    header.putInt((int) dataBytes);
    return header.flip();
  }
}
