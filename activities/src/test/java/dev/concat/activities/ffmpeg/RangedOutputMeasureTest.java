package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.EncoderCores;
import dev.concat.activities.chunk.JoinedMp3Meter;
import dev.concat.activities.chunk.Mp3Timeline;
import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.IndependentMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream copy of MP3 segments, as FFmpeg's muxer writes it (an ID3v2 tag, an Info frame naming
 * its own delay, each segment's delay and padding left in the audio), measured in ranges: the
 * frames are found without decoding, and the ranges' merged loudness is the whole file's, as a
 * meter the product does not use reads it.
 */
class RangedOutputMeasureTest {
  @TempDir static Path dir;

  private static Path copy;
  private static final ChunkLoudnessMeter METER =
      new ChunkLoudnessMeter(Path.of("ffmpeg"), new ProcessLauncher(Map.of()));

  @BeforeAll
  static void streamCopy() throws Exception {
    // Eight segments of 10 s at levels 12 dB apart, a loudness range the short-term windows see: 80
    // s in all.
    List<GeneratedAudio.Part> parts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Path wav = dir.resolve("s" + i + ".mp3");
      parts.add(GeneratedAudio.pinkNoise(wav, 10.0, 0.5, i % 2 == 0 ? 0 : -12, 44_100));
    }
    List<Path> segments = GeneratedAudio.make(parts);
    Path list = dir.resolve("list.txt");
    for (Path segment : segments) {
      Files.writeString(
          list, "file '" + segment + "'\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    copy = dir.resolve("copy.mp3");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            list.toString(),
            "-c:a",
            "copy",
            "-metadata",
            "title=Episode 1",
            copy.toString()));
  }

  @Test
  void findsEveryFrameAndTheLengthFfmpegDecodes() throws Exception {
    Mp3Timeline timeline = Mp3FrameScan.timeline(copy).orElseThrow();

    long packets =
        Long.parseLong(
            Command.stdout(
                    List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_packets",
                        "-select_streams",
                        "a:0",
                        "-show_entries",
                        "stream=nb_read_packets",
                        "-of",
                        "csv=p=0",
                        copy.toString()))
                .strip());
    assertEquals(packets, timeline.frameOffsets().length, "frames found, against ffprobe's count");
    assertEquals(Files.size(copy), timeline.bytes());
    assertEquals(IndependentMeter.measure(copy).samples(), timeline.samples());
  }

  @Test
  void rangesMeasureTheWholeFileAsOneMeterDoes() throws Exception {
    Mp3Timeline timeline = Mp3FrameScan.timeline(copy).orElseThrow();
    // 15 s ranges: six of them, five starting mid-file without the Info frame.
    ChunkLoudness ranged =
        new JoinedMp3Meter(METER)
            .measure(copy, timeline, 44_100, 15 * 44_100, new EncoderCores(2), measured -> {});
    ChunkLoudness whole = METER.measure(copy, new ChunkSpan(0, 0, timeline.samples()));
    IndependentMeter independent = IndependentMeter.measure(copy);

    assertEquals(whole.integratedLufs(), ranged.integratedLufs(), 1e-9);
    assertEquals(whole.truePeakDb(), ranged.truePeakDb(), 1e-9);
    assertEquals(whole.loudnessRangeLu(), ranged.loudnessRangeLu(), 1e-9);
    assertEquals(
        independent.integratedLufs(), ranged.integratedLufs(), 0.05, "pyloudnorm's reading");
    assertEquals(independent.truePeakDb(), ranged.truePeakDb(), 0.2, "pyloudnorm's true peak");
    assertTrue(ranged.loudnessRangeLu() > 8, "the quiet segments count: " + ranged);
  }

  @Test
  void aFileWhoseFramesDoNotMatchItsInfoFrameIsLeftToAFullDecode() throws Exception {
    Path cut = dir.resolve("cut.mp3");
    byte[] bytes = Files.readAllBytes(copy);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Path untagged = dir.resolve("untagged.mp3");
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-i",
            copy.toString(),
            "-c:a",
            "copy",
            "-write_xing",
            "0",
            untagged.toString()));

    assertEquals(Optional.empty(), Mp3FrameScan.timeline(cut), "half the frames the tag counts");
    assertEquals(Optional.empty(), Mp3FrameScan.timeline(untagged), "no Info frame");
  }
}
