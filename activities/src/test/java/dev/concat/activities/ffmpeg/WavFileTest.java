package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frame counts of WAVs written by FFmpeg 5.1 and of hand-built headers with unusual chunks. */
class WavFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "sine=d=1.5:sample_rate=8000, anull, 1, 12000",
    "sine=d=1.5:sample_rate=8000, anull, 2, 12000",
    "sine=d=1:sample_rate=44100, atrim=end_sample=12345, 1, 12345",
    "sine=d=1:sample_rate=44100, atrim=end_sample=12345, 2, 12345"
  })
  void countsTheFramesFfmpegWrote(String source, String filter, int channels, long frames)
      throws Exception {
    Path wav = dir.resolve("a.wav");
    Command.stdout(ffmpeg(source, filter, channels, wav.toString()));

    assertEquals(frames, WavFile.sampleFrames(wav));
  }

  @Test
  void aWavWrittenToAPipeRunsToTheEndOfTheFile() throws Exception {
    Path wav = dir.resolve("piped.wav");
    Command.stdoutTo(ffmpeg("sine=d=1.5:sample_rate=8000", "anull", 2, "pipe:1"), wav);
    assertEquals(
        0xFFFFFFFF, header(wav).getInt(4), "FFmpeg could not fill in the RIFF size on a pipe");

    assertEquals(12000, WavFile.sampleFrames(wav));
  }

  @Test
  void readsTheRf64FfmpegWritesPastFourGib() throws Exception {
    Path wav = dir.resolve("rf64.wav");
    var command =
        new ArrayList<>(ffmpeg("sine=d=1.5:sample_rate=8000", "anull", 2, wav.toString()));
    // What FFmpeg writes with "-rf64 auto" once a decode passes 4 GiB, here for 1.5 s.
    command.addAll(command.size() - 3, List.of("-rf64", "always"));
    Command.stdout(command);
    assertEquals(
        "RF64", new String(Files.readAllBytes(wav), 0, 4, StandardCharsets.US_ASCII), "the magic");

    assertEquals(12000, WavFile.sampleFrames(wav));
  }

  @Test
  void anRf64CountsTheDataSizeInItsDs64ChunkPastFourGib() throws Exception {
    long dataBytes = 5L << 30;
    ByteBuffer ds64 =
        ByteBuffer.allocate(28)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(dataBytes + 100)
            .putLong(dataBytes)
            .putLong(dataBytes / 4)
            .putInt(0);
    byte[] head =
        concat(
            "RF64".getBytes(StandardCharsets.US_ASCII),
            new byte[] {-1, -1, -1, -1},
            "WAVE".getBytes(StandardCharsets.US_ASCII),
            chunk("ds64", ds64.array()),
            fmt(2, 16),
            "data".getBytes(StandardCharsets.US_ASCII),
            new byte[] {-1, -1, -1, -1});
    Path wav = dir.resolve("long.wav");
    try (var file = new RandomAccessFile(wav.toFile(), "rw")) {
      file.write(head);
      // Sparse: 5 GiB of silence costs no disk. A chunk after the data must not count as audio.
      file.seek(head.length + dataBytes);
      file.write(chunk("id3 ", new byte[11]));
    }

    assertEquals(dataBytes / 4, WavFile.sampleFrames(wav));
  }

  @Test
  void skipsListAndOddSizedChunksIncludingTheirPadByte() throws Exception {
    Path wav =
        Files.write(
            dir.resolve("chunks.wav"),
            wave(
                chunk("LIST", "INFOISFTx".getBytes(StandardCharsets.US_ASCII)),
                fmt(2, 16),
                chunk("odd ", new byte[7]),
                chunk("data", new byte[40]),
                chunk("id3 ", new byte[11])));

    assertEquals(10, WavFile.sampleFrames(wav));
  }

  @Test
  void aZeroDataSizeMeansTheAudioRunsToTheEnd() throws Exception {
    byte[] audio = new byte[6 * 6];
    Path wav =
        Files.write(
            dir.resolve("zero.wav"), concat(wave(fmt(3, 16), chunk("data", new byte[0])), audio));

    assertEquals(6, WavFile.sampleFrames(wav));
  }

  @Test
  void aDataSizePastTheEndCountsOnlyTheBytesThere() throws Exception {
    byte[] full = wave(fmt(1, 16), chunk("data", new byte[2000]));
    Path wav = Files.write(dir.resolve("cut.wav"), Arrays.copyOf(full, full.length - 1001));

    assertEquals(499, WavFile.sampleFrames(wav));
  }

  @Test
  void aFileThatIsNotRiffWaveIsRejectedNamingIt() throws Exception {
    Path text = Files.writeString(dir.resolve("segment.wav"), "ID3 this is an MP3 in disguise");
    Path avi =
        Files.write(
            dir.resolve("video.wav"), "RIFF\0\0\0\0AVI ".getBytes(StandardCharsets.US_ASCII));
    Path tiny = Files.write(dir.resolve("tiny.wav"), new byte[] {'R', 'I'});

    for (Path bad : List.of(text, avi, tiny)) {
      var e = assertThrows(IOException.class, () -> WavFile.sampleFrames(bad));
      assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }
  }

  @Test
  void aWaveWithoutADataChunkIsRejected() throws Exception {
    Path wav = Files.write(dir.resolve("empty.wav"), wave(fmt(2, 16)));

    var e = assertThrows(IOException.class, () -> WavFile.sampleFrames(wav));
    assertTrue(e.getMessage().contains("no data chunk"), e.getMessage());
  }

  private static List<String> ffmpeg(String source, String filter, int channels, String output) {
    return List.of(
        "ffmpeg",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        source,
        "-af",
        filter,
        "-ac",
        String.valueOf(channels),
        "-c:a",
        "pcm_s16le",
        "-f",
        "wav",
        output);
  }

  private static ByteBuffer header(Path wav) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(wav), 0, 12).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A PCM {@code fmt } chunk at 8 kHz. */
  private static byte[] fmt(int channels, int bitsPerSample) {
    int blockAlign = channels * bitsPerSample / 8;
    ByteBuffer body =
        ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putShort((short) 1)
            .putShort((short) channels)
            .putInt(8000)
            .putInt(8000 * blockAlign)
            .putShort((short) blockAlign)
            .putShort((short) bitsPerSample);
    return chunk("fmt ", body.array());
  }

  /** A chunk with its size field and, after an odd-sized body, the pad byte. */
  private static byte[] chunk(String id, byte[] body) {
    ByteBuffer chunk =
        ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
    chunk.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
    return chunk.array();
  }

  private static byte[] wave(byte[]... chunks) {
    byte[] body = concat(chunks);
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header
        .put("RIFF".getBytes(StandardCharsets.US_ASCII))
        .putInt(4 + body.length)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    return concat(header.array(), body);
  }

  private static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
