package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FfmpegProgressParserTest {

  /** Captured from FFmpeg 5.1 joining three 2.4 s MP3 segments with -re (one block per 0.5 s). */
  private static List<FfmpegProgress> capturedBlocks() throws IOException {
    try (InputStream in =
        FfmpegProgressParserTest.class.getResourceAsStream("concat-progress.txt")) {
      var parser = new FfmpegProgressParser();
      List<FfmpegProgress> blocks = new ArrayList<>();
      new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(parser::accept)
          .flatMap(Optional::stream)
          .forEach(blocks::add);
      return blocks;
    }
  }

  @Test
  void readsEveryBlockOfCapturedOutput() throws IOException {
    List<FfmpegProgress> blocks = capturedBlocks();

    assertEquals(16, blocks.size());
    assertEquals(new FfmpegProgress(0, 462, false), blocks.get(0));
    assertEquals(new FfmpegProgress(417_959, 7149, false), blocks.get(1));
    assertEquals(new FfmpegProgress(7_294_694, 116_236, true), blocks.get(15));
    for (int i = 1; i < blocks.size(); i++) {
      assertTrue(blocks.get(i).outTimeMicros() > blocks.get(i - 1).outTimeMicros());
    }
  }

  @Test
  void unknownValuesKeepTheLastKnownOnes() {
    var parser = new FfmpegProgressParser();
    parser.accept("out_time_us=1500000");
    parser.accept("total_size=2048");
    parser.accept("progress=continue");
    parser.accept("out_time_us=N/A");
    parser.accept("total_size=N/A");
    parser.accept("speed=N/A");

    assertEquals(
        Optional.of(new FfmpegProgress(1_500_000, 2048, false)),
        parser.accept("progress=continue"));
  }

  @Test
  void mapsOutputTimeOntoFinishedSegments() throws IOException {
    // ffprobe's durations of the captured run's inputs: 2.4 s of audio plus padding each.
    var timeline =
        new SegmentTimeline(
            JoinedLayout.approximate(List.of(probe(2.404331), probe(2.404331), probe(2.404331))));
    List<Integer> done =
        capturedBlocks().stream().map(b -> timeline.segmentsDone(b.outTimeMicros())).toList();

    assertEquals(0, done.get(0));
    assertEquals(1, timeline.segmentsDone(2_928_980));
    assertEquals(2, timeline.segmentsDone(4_943_673));
    assertEquals(3, done.get(done.size() - 1));
    for (int i = 1; i < done.size(); i++) {
      assertTrue(done.get(i) >= done.get(i - 1), "segments done never go back: " + done);
    }
  }

  private static AudioProbe probe(double seconds) {
    return new AudioProbe("mp3", 44100, 2, seconds);
  }
}
