package dev.concat.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each audio rule: the bounds are accepted, a step past them is rejected with the field named. */
class AudioRequestRulesTest {
  private static final String RATES =
      "(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)";

  @ParameterizedTest
  @ValueSource(ints = {8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000})
  void everyMpegSampleRateIsAcceptedForBothFormats(int rate) {
    assertEquals(List.of(), mp3(r -> r.encoding = new Encoding(null, rate, null)));
    assertEquals(
        List.of(), problems(OutputFormat.M4A, r -> r.encoding = new Encoding(null, rate, null)));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 7_999, 44_000, 96_000})
  void otherSampleRatesAreRejectedNamingTheFormat(int rate) {
    assertEquals(
        List.of("encoding.sampleRate " + rate + " is not a rate MP3 supports " + RATES),
        mp3(r -> r.encoding = new Encoding(null, rate, null)));
    assertEquals(
        List.of("encoding.sampleRate " + rate + " is not a rate M4A supports " + RATES),
        problems(OutputFormat.M4A, r -> r.encoding = new Encoding(null, rate, null)));
  }

  @Test
  void channelsAreMonoOrStereo() {
    assertEquals(List.of(), mp3(r -> r.encoding = new Encoding(null, null, 1)));
    assertEquals(List.of(), mp3(r -> r.encoding = new Encoding(null, null, 2)));
    for (int channels : new int[] {-1, 0, 3, 6}) {
      assertEquals(
          List.of("encoding.channels " + channels + " must be 1 (mono) or 2 (stereo)"),
          mp3(r -> r.encoding = new Encoding(null, null, channels)));
    }
  }

  @ParameterizedTest(name = "{0} at {1} kb/s and {2} Hz: outside [{3}]")
  @CsvSource({
    // MP3 at the MPEG-1 rates (the default 44100 among them): 32..320
    "MP3, 32, ,      ",
    "MP3, 320, ,     ",
    "MP3, 31, ,      32..320",
    "MP3, 321, ,     32..320",
    "MP3, 32, 32000, ",
    "MP3, 320, 32000, ",
    "MP3, 8, 32000,   32..320",
    // MP3 at the MPEG-2 and 2.5 rates: 8..160
    "MP3, 8, 24000,  ",
    "MP3, 160, 24000, ",
    "MP3, 7, 24000,   8..160",
    "MP3, 161, 24000, 8..160",
    "MP3, 8, 8000,   ",
    "MP3, 160, 8000,  ",
    "MP3, 320, 22050, 8..160",
    // AAC in M4A at any rate: 16..320
    "M4A, 16, 8000,  ",
    "M4A, 320, 22050, ",
    "M4A, 15, ,      16..320",
    "M4A, 321, ,     16..320"
  })
  void bitRatesFollowTheFormatAndTheSampleRate(
      OutputFormat format, int kbps, Integer rate, String range) {
    List<String> problems = problems(format, r -> r.encoding = new Encoding(kbps, rate, null));
    if (range == null) {
      assertEquals(List.of(), problems);
    } else {
      String where =
          format == OutputFormat.M4A
              ? "M4A's range"
              : "MP3's range at " + (rate == null ? 44_100 : rate);
      assertEquals(1, problems.size(), problems.toString());
      String expected = "encoding.bitrateKbps " + kbps + " is outside " + range + " kb/s, " + where;
      assertTrue(problems.get(0).startsWith(expected), problems.toString());
    }
  }

  @Test
  void streamCopyExcludesAnyEncodingField() {
    String problem =
        "allowStreamCopy keeps the inputs' encoding; remove encoding or allowStreamCopy";
    for (Encoding encoding :
        List.of(
            new Encoding(128, null, null),
            new Encoding(null, 44_100, null),
            new Encoding(null, null, 2))) {
      assertEquals(List.of(problem), copy(r -> r.encoding = encoding));
    }
    assertEquals(
        List.of(),
        copy(r -> r.encoding = new Encoding(null, null, null)),
        "an empty encoding asks nothing");
    assertEquals(
        List.of(), mp3(r -> r.encoding = new Encoding(128, 44_100, 2)), "without allowStreamCopy");
  }

  @Test
  void streamCopyExcludesEveryFieldThatChangesTheAudio() {
    List<String> problems =
        copy(
            r -> {
              r.loudness = new Loudness(null, null);
              r.trimSilence = new SilenceTrim(null);
              r.gapMs = 500;
            });
    assertEquals(
        List.of(
            "loudness changes the audio, so it cannot be stream-copied; remove loudness or allowStreamCopy",
            "trimSilence changes the audio, so it cannot be stream-copied; remove trimSilence or allowStreamCopy",
            "gapMs changes the audio, so it cannot be stream-copied; remove gapMs or allowStreamCopy"),
        problems);
    assertEquals(
        List.of(
            "crossfadeMs changes the audio, so it cannot be stream-copied; remove crossfadeMs or allowStreamCopy"),
        copy(r -> r.crossfadeMs = 1));
  }

  @Test
  void streamCopyKeepsTagsChaptersAndZeroLengthJoins() {
    assertEquals(
        List.of(),
        copy(
            r -> {
              r.gapMs = 0;
              r.crossfadeMs = 0;
              r.metadata = new EpisodeMetadata("Title", "Host", "Show", 3, "s3://art/cover.png");
              r.chapters = List.of(new Chapter(0, "Intro"), new Chapter(2, "Outro"));
            }));
  }

  @Test
  void loudnessTargetsStayWithinPodcastRanges() {
    assertEquals(List.of(), mp3(r -> r.loudness = new Loudness(-40.0, -9.0)));
    assertEquals(List.of(), mp3(r -> r.loudness = new Loudness(-5.0, 0.0)));
    assertEquals(List.of(), mp3(r -> r.loudness = new Loudness(null, null)));
    assertEquals(
        List.of(
            "loudness.integratedLufs -40.5 is outside -40..-5 LUFS",
            "loudness.truePeakDb 0.1 is outside -9..0 dBTP"),
        mp3(r -> r.loudness = new Loudness(-40.5, 0.1)));
    assertEquals(
        List.of(
            "loudness.integratedLufs -4.9 is outside -40..-5 LUFS",
            "loudness.truePeakDb -9.5 is outside -9..0 dBTP"),
        mp3(r -> r.loudness = new Loudness(-4.9, -9.5)));
    assertEquals(
        List.of("loudness.integratedLufs NaN is outside -40..-5 LUFS"),
        mp3(r -> r.loudness = new Loudness(Double.NaN, null)));
  }

  @Test
  void silenceThresholdRunsFromMinus90ToMinus20() {
    assertEquals(List.of(), mp3(r -> r.trimSilence = new SilenceTrim(-90.0)));
    assertEquals(List.of(), mp3(r -> r.trimSilence = new SilenceTrim(-20.0)));
    assertEquals(List.of(), mp3(r -> r.trimSilence = new SilenceTrim(null)));
    assertEquals(
        List.of("trimSilence.thresholdDb -90.1 is outside -90..-20 dBFS"),
        mp3(r -> r.trimSilence = new SilenceTrim(-90.1)));
    assertEquals(
        List.of("trimSilence.thresholdDb -19.0 is outside -90..-20 dBFS"),
        mp3(r -> r.trimSilence = new SilenceTrim(-19.0)));
  }

  @Test
  void gapsAndCrossfadesRunUpToTenSeconds() {
    assertEquals(List.of(), mp3(r -> r.gapMs = 10_000));
    assertEquals(List.of(), mp3(r -> r.crossfadeMs = 10_000));
    assertEquals(
        List.of(),
        mp3(
            r -> {
              r.gapMs = 0;
              r.crossfadeMs = 0;
            }));
    assertEquals(List.of("gapMs -1 is outside 0..10000 ms"), mp3(r -> r.gapMs = -1));
    assertEquals(
        List.of("crossfadeMs 10001 is outside 0..10000 ms"), mp3(r -> r.crossfadeMs = 10_001));
  }

  @Test
  void aGapAndACrossfadeExcludeEachOther() {
    assertEquals(
        List.of(),
        mp3(
            r -> {
              r.gapMs = 0;
              r.crossfadeMs = 500;
            }));
    assertEquals(
        List.of(
            "gapMs and crossfadeMs exclude each other (a pause or an overlap between segments); "
                + "set only one"),
        mp3(
            r -> {
              r.gapMs = 1;
              r.crossfadeMs = 1;
            }));
  }

  @Test
  void everyImpossibleCombinationIsReportedAtOnce() {
    List<String> problems =
        copy(
            r -> {
              r.encoding = new Encoding(128, null, null);
              r.loudness = new Loudness(-16.0, -1.0);
              r.gapMs = 300;
              r.crossfadeMs = 300;
            });
    assertEquals(5, problems.size(), problems.toString());
    assertProblem(problems, "remove encoding or allowStreamCopy");
    assertProblem(problems, "remove loudness or allowStreamCopy");
    assertProblem(problems, "remove gapMs or allowStreamCopy");
    assertProblem(problems, "remove crossfadeMs or allowStreamCopy");
    assertProblem(problems, "gapMs and crossfadeMs exclude each other");
  }

  private static List<String> mp3(Consumer<Fields> set) {
    return problems(OutputFormat.MP3, set);
  }

  private static List<String> copy(Consumer<Fields> set) {
    return mp3(
        r -> {
          r.allowStreamCopy = true;
          set.accept(r);
        });
  }

  private static List<String> problems(OutputFormat format, Consumer<Fields> set) {
    Fields fields = new Fields();
    set.accept(fields);
    return AudioRequestRules.problems(
        fields.build("s3://finished/ep-1." + format.extension()), format);
  }

  private static void assertProblem(List<String> problems, String expected) {
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(expected)),
        "no '" + expected + "' in " + problems);
  }

  /** The audio fields of a request for three valid segments; a test sets the ones it is about. */
  private static final class Fields {
    private static final List<String> SEGMENTS =
        List.of("s3://episodes/a.mp3", "s3://episodes/b.mp3", "s3://episodes/c.mp3");
    Boolean allowStreamCopy;
    Encoding encoding;
    Loudness loudness;
    SilenceTrim trimSilence;
    Integer gapMs;
    Integer crossfadeMs;
    EpisodeMetadata metadata;
    List<Chapter> chapters;

    ConcatRequest build(String output) {
      return ConcatRequest.builder("ep-1")
          .segments(SEGMENTS)
          .output(output)
          .allowStreamCopy(allowStreamCopy)
          .encoding(encoding)
          .loudness(loudness)
          .trimSilence(trimSilence)
          .gapMs(gapMs)
          .crossfadeMs(crossfadeMs)
          .metadata(metadata)
          .chapters(chapters)
          .build();
    }
  }
}
