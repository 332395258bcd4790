package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.testing.Command;
import dev.concat.contract.audio.EpisodeMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FFMETADATA1 file, checked by what FFmpeg 5.1 writes from it into real MP3 and M4A files. */
class FfmpegMetadataFileTest {
  private static final EpisodeMetadata EPISODE =
      new EpisodeMetadata(
          "Café – Ep. 1", "Ann = Bob; #1 \\ co-hosts", "Show\nSeason 2", 7, "s3://b/cover.jpg");
  private static final List<ChapterSpan> CHAPTERS =
      List.of(
          new ChapterSpan("#Intro", 0, 1250),
          new ChapterSpan(";key=value \\ path", 1250, 2000),
          new ChapterSpan("Ünïcödé – ending", 2000, 3000));

  @TempDir Path dir;

  @Test
  void writesTagsAndChaptersWithTheSpecialCharactersEscaped() throws Exception {
    Path file = dir.resolve("meta.txt");

    FfmpegMetadataFile.write(
        file,
        new EpisodeMetadata("a=b", null, null, 3, null),
        List.of(new ChapterSpan("x;y#z\\w", 0, 1500)));

    assertEquals(
        """
        ;FFMETADATA1
        title=a\\=b
        track=3
        [CHAPTER]
        TIMEBASE=1/1000
        START=0
        END=1500
        title=x\\;y\\#z\\\\w
        """,
        Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void withoutMetadataWritesOnlyTheHeaderAndChapters() throws Exception {
    Path file = dir.resolve("meta.txt");

    FfmpegMetadataFile.write(file, null, List.of());

    assertEquals(";FFMETADATA1\n", Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void aChapterMustNotEndBeforeItStarts() {
    assertThrows(IllegalArgumentException.class, () -> new ChapterSpan("a", 2000, 1999));
    assertThrows(IllegalArgumentException.class, () -> new ChapterSpan("a", -1, 10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mp3", "m4a"})
  void ffmpegWritesTheTagsAndChaptersIntoTheEpisode(String extension) throws Exception {
    Path meta = dir.resolve("meta.txt");
    Path episode = dir.resolve("episode." + extension);
    FfmpegMetadataFile.write(meta, EPISODE, CHAPTERS);

    List<String> mux =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "sine=f=440:sample_rate=44100:d=3",
                "-i",
                meta.toString(),
                "-map",
                "0:a",
                "-map_metadata",
                "1",
                "-map_chapters",
                "1"));
    mux.addAll(
        extension.equals("mp3")
            ? List.of("-c:a", "libmp3lame", "-id3v2_version", "3", "-f", "mp3")
            : List.of("-c:a", "aac", "-f", "ipod"));
    mux.add(episode.toString());
    Command.stdout(mux);
    JsonNode probe =
        new ObjectMapper()
            .readTree(
                Command.stdout(
                    List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-show_chapters",
                        "-show_format",
                        "-of",
                        "json",
                        episode.toString())));

    JsonNode tags = probe.path("format").path("tags");
    assertEquals(EPISODE.title(), tags.path("title").asText());
    assertEquals(EPISODE.artist(), tags.path("artist").asText());
    assertEquals(EPISODE.album(), tags.path("album").asText());
    assertEquals("7", tags.path("track").asText());
    JsonNode chapters = probe.path("chapters");
    assertEquals(CHAPTERS.size(), chapters.size(), probe.toPrettyString());
    for (int i = 0; i < CHAPTERS.size(); i++) {
      ChapterSpan expected = CHAPTERS.get(i);
      JsonNode chapter = chapters.get(i);
      assertEquals(expected.title(), chapter.path("tags").path("title").asText());
      assertEquals(expected.startMillis(), millis(chapter.path("start_time")), chapter.toString());
      assertEquals(expected.endMillis(), millis(chapter.path("end_time")), chapter.toString());
    }
  }

  private static long millis(JsonNode seconds) {
    return Math.round(seconds.asDouble() * 1000);
  }
}
