package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Loudness;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinPlanTest {
  private static final AudioProbe MP3 = new AudioProbe("mp3", 44100, 2, 10);
  private static final AudioProbe AAC = new AudioProbe("aac", 44100, 2, 10);
  private static final AudioProbe VORBIS = new AudioProbe("vorbis", 44100, 2, 10);
  private static final AudioProbe OPUS = new AudioProbe("opus", 48000, 2, 10);
  private static final AudioSpec PLAIN = AudioSpec.DEFAULT;

  @Test
  void copiesOnlyUniformInputsIntoTheirOwnContainerWhenAllowed() {
    assertEquals(
        ConcatMode.COPY, JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, true, PLAIN).mode());
    assertEquals(
        ConcatMode.COPY, JoinPlan.choose(List.of(AAC, AAC), OutputFormat.M4A, true, PLAIN).mode());
  }

  @Test
  void reencodesOtherwise() {
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, false, PLAIN).mode());
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, MP3), OutputFormat.M4A, true, PLAIN).mode());
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, AAC), OutputFormat.MP3, true, PLAIN).mode());
    var mono = new AudioProbe("mp3", 44100, 1, 10);
    var rate = new AudioProbe("mp3", 48000, 2, 10);
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, mono), OutputFormat.MP3, true, PLAIN).mode());
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, rate), OutputFormat.MP3, true, PLAIN).mode());
  }

  @Test
  void treatmentsThatChangeTheAudioOrNeedExactLengthsRuleOutCopy() {
    var loud = new AudioSpec(null, new Loudness(null, null), null, 0, 0, null, null);
    var chapters = new AudioSpec(null, null, null, 0, 0, null, List.of(new Chapter(0, "Intro")));
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, true, loud).mode());
    assertEquals(
        ConcatMode.REENCODE,
        JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, true, chapters).mode());
  }

  @Test
  void theDemuxerJoinsOnlyExactDecodersOfOneFormat() {
    assertFalse(JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, false, PLAIN).decodeFirst());
    assertFalse(JoinPlan.choose(List.of(OPUS, OPUS), OutputFormat.M4A, false, PLAIN).decodeFirst());
    assertTrue(JoinPlan.choose(List.of(AAC, AAC), OutputFormat.MP3, false, PLAIN).decodeFirst());
    assertTrue(
        JoinPlan.choose(List.of(VORBIS, VORBIS), OutputFormat.MP3, false, PLAIN).decodeFirst());
    assertTrue(JoinPlan.choose(List.of(MP3, AAC), OutputFormat.MP3, false, PLAIN).decodeFirst());
    var gap = new AudioSpec(null, null, null, 500, 0, null, null);
    assertTrue(JoinPlan.choose(List.of(MP3, MP3), OutputFormat.MP3, false, gap).decodeFirst());
  }
}
