package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The playing length read from an MP3's Info frame is the length FFmpeg decodes, counted in
 * samples: MPEG-1 and MPEG-2/2.5 frame sizes, mono and stereo side information, and an ID3 tag made
 * large by a cover image.
 */
class Mp3InfoTagTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "44100, 2, 128, false",
    "48000, 1, 96, false",
    "22050, 1, 64, false",
    "8000, 1, 32, false",
    "44100, 2, 128, true"
  })
  void theTagsLengthIsTheDecodedLength(int rate, int channels, int kbps, boolean cover)
      throws Exception {
    Path source =
        GeneratedAudio.make(
            GeneratedAudio.sine(dir.resolve("source.wav"), 7.3, 440, rate, channels));
    Path mp3 = dir.resolve("out.mp3");
    List<String> encode =
        new ArrayList<>(
            List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", source.toString()));
    if (cover) {
      encode.addAll(
          List.of(
              "-i",
              GeneratedAudio.cover(dir.resolve("cover.png")).toString(),
              "-map",
              "0:a",
              "-map",
              "1:v",
              "-c:v",
              "copy",
              "-disposition:v:0",
              "attached_pic"));
    }
    encode.addAll(
        List.of(
            "-c:a",
            "libmp3lame",
            "-b:a",
            kbps + "k",
            "-id3v2_version",
            "3",
            "-write_xing",
            "1",
            mp3.toString()));
    Command.stdout(encode);

    Mp3InfoTag tag = Mp3InfoTag.read(mp3).orElseThrow();

    assertEquals(rate >= 32000 ? 1152 : 576, tag.samplesPerFrame());
    assertEquals(
        decodedSamples(mp3, channels),
        tag.decodedSamples(),
        "samples FFmpeg decodes vs the Info frame");
    assertEquals(Math.round(7.3 * rate), tag.decodedSamples(), "the source's samples");
  }

  @ParameterizedTest
  @CsvSource({"0", "1"})
  void aFileWithoutTheTagHasNone(int xing) throws Exception {
    Path source =
        GeneratedAudio.make(GeneratedAudio.sine(dir.resolve("source.wav"), 2, 440, 44100, 1));
    Path mp3 = dir.resolve("out.mp3");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            source.toString(),
            "-c:a",
            "libmp3lame",
            "-write_xing",
            String.valueOf(xing),
            mp3.toString()));

    assertEquals(xing == 1, Mp3InfoTag.read(mp3).isPresent());
    assertTrue(Mp3InfoTag.read(source).isEmpty(), "a WAV file has no Info frame");
  }

  private static long decodedSamples(Path mp3, int channels) throws Exception {
    Path pcm = mp3.resolveSibling("decoded.raw");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-loglevel",
            "error",
            "-i",
            mp3.toString(),
            "-f",
            "s16le",
            "-c:a",
            "pcm_s16le",
            pcm.toString()));
    return Files.size(pcm) / (2L * channels);
  }
}
