package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concat.activities.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The crossfade graph, run by FFmpeg 5.1 over WAVs of exact, different lengths. */
class CrossfadeGraphTest {
  private static final int RATE = 8000;
  private static final long OVERLAP = 400;

  /** One filter of the graph: two input labels, the filter, one output label. */
  private static final Pattern JOIN =
      Pattern.compile("\\[([^\\]]+)\\]\\[([^\\]]+)\\]acrossfade=[^\\[]*\\[([^\\]]+)\\]");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 8})
  void theOutputIsTheInputsInOrderEachJoinOverlapping(int count) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-loglevel", "error"));
    List<short[]> inputs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path input = dir.resolve("in" + i + ".wav");
      // Lengths differ and are not multiples of FFmpeg's frame sizes; each is over twice the
      // overlap.
      long frames = 2 * OVERLAP + 1000 + 777L * i + 13L * i * i;
      Command.stdout(
          List.of(
              "ffmpeg",
              "-nostdin",
              "-y",
              "-loglevel",
              "error",
              "-f",
              "lavfi",
              "-i",
              "sine=f=" + (300 + 70 * i) + ":sample_rate=" + RATE + ":duration=2",
              "-af",
              "atrim=end_sample=" + frames,
              "-c:a",
              "pcm_s16le",
              input.toString()));
      assertEquals(frames, WavFile.sampleFrames(input));
      inputs.add(samples(input, frames));
      command.addAll(List.of("-i", input.toString()));
    }
    Path output = dir.resolve("out.wav");
    command.addAll(
        List.of(
            "-filter_complex",
            CrossfadeGraph.filter(count, OVERLAP, "joined"),
            "-map",
            "[joined]",
            "-c:a",
            "pcm_s16le",
            output.toString()));
    Command.stdout(command);

    long total = inputs.stream().mapToLong(s -> s.length).sum();
    long frames = WavFile.sampleFrames(output);
    assertEquals(total - (count - 1) * OVERLAP, frames);
    short[] out = samples(output, frames);
    int start = 0;
    for (int i = 0; i < count; i++) {
      // Outside its fades each input is copied sample for sample, where the overlaps put it.
      short[] in = inputs.get(i);
      int from = i == 0 ? 0 : (int) OVERLAP;
      int to = i == count - 1 ? in.length : in.length - (int) OVERLAP;
      assertArrayEquals(
          Arrays.copyOfRange(in, from, to),
          Arrays.copyOfRange(out, start + from, start + to),
          "input " + i + " of " + count);
      start += in.length - (int) OVERLAP;
    }
  }

  @ParameterizedTest
  @CsvSource({"2, 1", "3, 2", "5, 3", "8, 3", "9, 4", "1000, 10"})
  void theJoinsFormABalancedTreeOverTheInputsInOrder(int count, int depth) {
    String graph = CrossfadeGraph.filter(count, OVERLAP, "out");
    Map<String, String[]> joins = new HashMap<>();
    Matcher join = JOIN.matcher(graph);
    while (join.find()) {
      joins.put(join.group(3), new String[] {join.group(1), join.group(2)});
    }

    assertEquals(count - 1, joins.size(), graph);
    assertEquals(count - 1, graph.split(";").length, "one filter per join: " + graph);
    assertEquals(depth, depth(joins, "out"));
    assertEquals(IntStream.range(0, count).mapToObj(i -> i + ":a").toList(), leaves(joins, "out"));
  }

  @Test
  void oneInputIsPassedThrough() {
    assertEquals("[0:a]anull[out]", CrossfadeGraph.filter(1, OVERLAP, "out"));
  }

  @Test
  void eachJoinIsAnEqualPowerCrossfadeOfTheGivenLength() {
    assertEquals(
        "[0:a][1:a]acrossfade=ns=4410:c1=qsin:c2=qsin[out]", CrossfadeGraph.filter(2, 4410, "out"));
  }

  @Test
  void rejectsArgumentsFfmpegCouldNotRun() {
    assertThrows(IllegalArgumentException.class, () -> CrossfadeGraph.filter(0, OVERLAP, "out"));
    assertThrows(IllegalArgumentException.class, () -> CrossfadeGraph.filter(2, 0, "out"));
    assertThrows(IllegalArgumentException.class, () -> CrossfadeGraph.filter(2, OVERLAP, "a]b"));
    assertThrows(IllegalArgumentException.class, () -> CrossfadeGraph.filter(3, OVERLAP, "j0_1"));
  }

  private static int depth(Map<String, String[]> joins, String label) {
    String[] in = joins.get(label);
    return in == null ? 0 : 1 + Math.max(depth(joins, in[0]), depth(joins, in[1]));
  }

  private static List<String> leaves(Map<String, String[]> joins, String label) {
    String[] in = joins.get(label);
    if (in == null) {
      return List.of(label);
    }
    List<String> leaves = new ArrayList<>(leaves(joins, in[0]));
    leaves.addAll(leaves(joins, in[1]));
    return leaves;
  }

  /** The mono 16-bit samples: FFmpeg's WAV muxer puts the data chunk last, so they end the file. */
  private static short[] samples(Path wav, long frames) throws Exception {
    byte[] bytes = Files.readAllBytes(wav);
    short[] samples = new short[(int) frames];
    int offset = bytes.length - samples.length * 2;
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) ((bytes[offset + 2 * i] & 0xff) | (bytes[offset + 2 * i + 1] << 8));
    }
    return samples;
  }
}
