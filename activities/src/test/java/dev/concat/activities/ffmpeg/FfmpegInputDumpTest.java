package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.concat.activities.ffmpeg.FfmpegInputDump.Entry;
import dev.concat.activities.ffmpeg.FfmpegInputDump.Unusable;
import dev.concat.activities.ffmpeg.FfmpegInputDump.Usable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * FFmpeg's description of its inputs, as FFmpeg 5.1 (Debian) and 7.1 (the bundled build) print it.
 */
class FfmpegInputDumpTest {
  private static final List<Path> FILES =
      List.of(Path.of("/w/0.opus"), Path.of("/w/1.m4a"), Path.of("/w/2.wav"));

  @Test
  void readsCodecRateChannelsAndDurationOfEachInput() {
    String dump =
        """
        Input #0, ogg, from '/w/0.opus':
          Duration: 00:00:01.01, start: 0.000000, bitrate: 109 kb/s
          Stream #0:0: Audio: opus, 48000 Hz, stereo, fltp
              Metadata:
                encoder         : Lavc59.37.100 libopus
        Input #1, mov,mp4,m4a,3gp,3g2,mj2, from '/w/1.m4a':
          Metadata:
            title           : Stream #1:0: Audio: mp3, 8000 Hz, mono
          Duration: 01:02:03.50, start: 0.500000, bitrate: 79 kb/s
          Stream #1:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, 5.1(side), fltp, 70 kb/s (default)
        Guessed Channel Layout for Input Stream #2.0 : mono
        Input #2, wav, from '/w/2.wav':
          Duration: 00:00:01.00, bitrate: 128 kb/s
          Stream #2:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 8000 Hz, 3 channels, s16, 128 kb/s
        At least one output file must be specified
        """;

    List<Entry> entries = FfmpegInputDump.parse(dump, FILES);

    assertEquals(
        List.of(
            new Usable(new AudioProbe("opus", 48000, 2, 1.01)),
            new Usable(new AudioProbe("aac", 44100, 6, 3723.0)),
            new Usable(new AudioProbe("pcm_s16le", 8000, 3, 1.0))),
        entries);
  }

  @Test
  void theFirstFileFfmpeg5CannotOpenIsUnusableWithItsReason() {
    String dump =
        """
        Input #0, ogg, from '/w/0.opus':
          Duration: 00:00:01.01, start: 0.000000, bitrate: 109 kb/s
          Stream #0:0: Audio: opus, 48000 Hz, stereo, fltp
        [mp3 @ 0x55e1536cc300] Format mp3 detected only with low score of 1, misdetection possible!
        /w/1.m4a: Invalid data found when processing input
        """;

    List<Entry> entries = FfmpegInputDump.parse(dump, FILES);

    assertEquals(2, entries.size());
    assertEquals(new Unusable("Invalid data found when processing input"), entries.get(1));
  }

  @Test
  void theFirstFileFfmpeg7CannotOpenIsUnusableWithItsReason() {
    String dump =
        """
        [in#0 @ 0x55eb7deb9c40] Error opening input: Invalid data found when processing input
        Error opening input file /w/0.opus.
        Error opening input files: Invalid data found when processing input
        """;

    assertEquals(
        List.of(new Unusable("Invalid data found when processing input")),
        FfmpegInputDump.parse(dump, FILES));
  }

  @Test
  void aFileWithoutAudioOrDurationIsUnusable() {
    String dump =
        """
        Input #0, png_pipe, from '/w/0.opus':
          Duration: N/A, bitrate: N/A
          Stream #0:0: Video: png, rgb24(pc), 640x480, 25 fps
        Input #1, mp3, from '/w/1.m4a':
          Duration: N/A, start: 0.000000, bitrate: N/A
          Stream #1:0: Audio: mp3 (mp3float), 44100 Hz, mono, fltp, 64 kb/s
        """;

    List<Entry> entries = FfmpegInputDump.parse(dump, FILES);

    assertEquals(new Unusable("no audio stream"), entries.get(0));
    assertEquals(new Unusable("zero or unknown duration"), entries.get(1));
  }

  @Test
  void aDumpCutShortHasFewerEntriesThanFiles() {
    String dump =
        """
        Input #0, ogg, from '/w/0.opus':
          Duration: 00:00:01.01, start: 0.000000, bitrate: 109 kb/s
          Stream #0:0: Audio: opus, 48000 Hz, stereo, fltp
        """;

    List<Entry> entries = FfmpegInputDump.parse(dump, FILES);

    assertEquals(1, entries.size());
    assertInstanceOf(Usable.class, entries.get(0));
  }
}
