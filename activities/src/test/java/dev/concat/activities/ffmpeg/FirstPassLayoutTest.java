package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.activities.loudness.ChunkLoudness;
import dev.concat.activities.loudness.ChunkLoudnessMeter;
import dev.concat.activities.loudness.ChunkSpan;
import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.contract.audio.Encoding;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A join of mono segments encoded to stereo is metered in mono by the first pass, and its reading,
 * brought to the output's layout, is what the stereo the encoder receives measures: by the same
 * meter to float rounding, and by pyloudnorm as closely as it agrees with that meter anywhere.
 */
class FirstPassLayoutTest {
  private static final Path FFMPEG = Path.of("ffmpeg");
  private static final Encoding STEREO = new Encoding(128, 44_100, 2);

  @TempDir static Path dir;
  private static Path list;

  /**
   * Pink noise at levels 12 dB apart (a loudness range) and a loud tone whose interpolated peak
   * lies between the samples (a true peak above the sample peak): 40 s of mono MP3 in four
   * segments.
   */
  @BeforeAll
  static void monoSegments() throws IOException {
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      parts.add(
          new Part(
              dir.resolve("noise-" + i + ".mp3"),
              String.format(
                  Locale.ROOT,
                  "anoisesrc=color=pink:amplitude=0.4:seed=%d:sample_rate=44100:duration=10,"
                      + "volume=%ddB",
                  i + 3,
                  i % 2 == 0 ? 0 : -12),
              44_100,
              1));
    }
    // A quarter of the sample rate, sampled 45 degrees off its crests: samples at √½ of its peak.
    parts.add(
        new Part(
            dir.resolve("tone.mp3"),
            "aevalsrc=0.5*sin(2*PI*11025*t+PI/4):s=44100:d=10",
            44_100,
            1));
    list = dir.resolve("list.txt");
    ConcatListFile.write(list, GeneratedAudio.make(parts));
  }

  @Test
  void monoSegmentsToStereoAreMeteredInMono() {
    assertEquals(
        1, JoinCommand.concatList(FFMPEG, list, 1).firstPassLayout(STEREO).metered().channels());
    assertEquals(
        2, JoinCommand.concatList(FFMPEG, list, 2).firstPassLayout(STEREO).metered().channels());
    assertEquals(
        2, JoinCommand.concatList(FFMPEG, list, 0).firstPassLayout(STEREO).metered().channels());
    Encoding mono = new Encoding(128, 44_100, 1);
    assertEquals(
        1, JoinCommand.concatList(FFMPEG, list, 2).firstPassLayout(mono).metered().channels());
  }

  @Test
  void theMonoReadingIsTheStereoUpmixsReading() throws Exception {
    JoinCommand monoSource = JoinCommand.concatList(FFMPEG, list, 1);
    // The same join, its channels unknown: the pass meters the stereo the encoder receives.
    JoinCommand unknownSource = JoinCommand.concatList(FFMPEG, list, 0);
    Path metered = dir.resolve("metered.wav");
    Path upmixed = dir.resolve("upmixed.wav");
    Command.stdout(monoSource.meteredPcm(STEREO, metered, null));
    Command.stdout(unknownSource.meteredPcm(STEREO, upmixed, null));

    LoudnessSummary reading =
        monoSource.firstPassLayout(STEREO).asOutput(summary(measure(metered)));
    LoudnessSummary stereo = summary(measure(upmixed));

    assertEquals(2 * Files.size(metered), Files.size(upmixed), 1024, "half the samples");
    assertEquals(stereo.integratedLufs(), reading.integratedLufs(), 1e-5, "integrated loudness");
    assertEquals(stereo.truePeakDb(), reading.truePeakDb(), 1e-5, "true peak");
    assertEquals(stereo.loudnessRangeLu(), reading.loudnessRangeLu(), 1e-5, "loudness range");
    IndependentMeter independent = IndependentMeter.measure(upmixed);
    assertEquals(independent.integratedLufs(), reading.integratedLufs(), 0.05, "pyloudnorm");
    assertEquals(independent.truePeakDb(), reading.truePeakDb(), 0.2, "pyloudnorm's true peak");
  }

  private static ChunkLoudness measure(Path wav) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(wav))) {
      return ChunkLoudnessMeter.measureWav(in, ChunkSpan.wholeProgramme());
    }
  }

  private static LoudnessSummary summary(ChunkLoudness loudness) {
    return new LoudnessSummary(
        loudness.integratedLufs(), loudness.truePeakDb(), loudness.loudnessRangeLu());
  }
}
