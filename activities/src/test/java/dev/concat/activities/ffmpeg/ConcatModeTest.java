package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.activities.OutputFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatModeTest {
  private static final AudioProbe MP3 = new AudioProbe("mp3", 44100, 2, 10);
  private static final AudioProbe AAC = new AudioProbe("aac", 44100, 2, 10);

  @Test
  void copiesOnlyUniformInputsIntoTheirOwnContainerWhenAllowed() {
    assertEquals(ConcatMode.COPY, ConcatMode.choose(List.of(MP3, MP3), OutputFormat.MP3, true));
    assertEquals(ConcatMode.COPY, ConcatMode.choose(List.of(AAC, AAC), OutputFormat.M4A, true));
  }

  @Test
  void reencodesOtherwise() {
    assertEquals(ConcatMode.REENCODE, ConcatMode.choose(List.of(MP3, MP3), OutputFormat.MP3, false));
    assertEquals(ConcatMode.REENCODE, ConcatMode.choose(List.of(MP3, MP3), OutputFormat.M4A, true));
    assertEquals(ConcatMode.REENCODE, ConcatMode.choose(List.of(MP3, AAC), OutputFormat.MP3, true));
    var mono = new AudioProbe("mp3", 44100, 1, 10);
    var rate = new AudioProbe("mp3", 48000, 2, 10);
    assertEquals(ConcatMode.REENCODE, ConcatMode.choose(List.of(MP3, mono), OutputFormat.MP3, true));
    assertEquals(ConcatMode.REENCODE, ConcatMode.choose(List.of(MP3, rate), OutputFormat.MP3, true));
  }
}
