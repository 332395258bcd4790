package dev.concat.activities.workdir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirectoriesTest {
  @TempDir Path root;

  @Test
  void listsAndDeletesStaleJobDirectories() throws Exception {
    var dirs = new WorkDirectories(root);
    for (String id : List.of("job-b", "job-a")) {
      JobWorkDir job = dirs.job(id);
      job.prepare(List.of("s3://media/a.mp3"));
      Files.writeString(job.segment(0, "mp3"), "x");
    }
    Path outside = Files.writeString(root.resolve("keep.txt"), "not a job");

    assertEquals(List.of("job-a", "job-b"), dirs.list());
    assertEquals(2, dirs.deleteAll());
    assertEquals(List.of(), dirs.list());
    assertTrue(Files.exists(outside), "only jobs/ is swept");
  }

  @Test
  void segmentsAreNamedByIndexWithASafeExtension() {
    JobWorkDir job = new WorkDirectories(root).job("j");
    assertEquals(root.resolve("jobs/j/segments/00042.mp3"), job.segment(42, "MP3"));
    assertEquals(root.resolve("jobs/j/segments/00007.bin"), job.segment(7, "../../x"));
    assertEquals(root.resolve("jobs/j/segments/00007.bin"), job.segment(7, ""));
  }

  @Test
  void refusesJobIdsThatWouldEscapeTheRoot() {
    var dirs = new WorkDirectories(root);
    assertThrows(IllegalArgumentException.class, () -> dirs.job("../x"));
    assertThrows(IllegalArgumentException.class, () -> dirs.job("a/b"));
  }

  @Test
  void preparingKeepsFilesOfTheSameSegmentListAndWipesOthers() throws Exception {
    JobWorkDir job = new WorkDirectories(root).job("j");
    assertFalse(job.prepare(List.of("s3://media/a.mp3", "s3://media/b.mp3")));
    Path segment = Files.writeString(job.segment(0, "mp3"), "x");

    assertTrue(job.prepare(List.of("s3://media/a.mp3", "s3://media/b.mp3")));
    assertTrue(Files.exists(segment));

    assertFalse(job.prepare(List.of("s3://media/other.mp3", "s3://media/b.mp3")));
    assertFalse(Files.exists(segment), "a segment of another list must not be reused");
  }

  @Test
  void deletingAMissingDirectoryIsFine() {
    assertFalse(new WorkDirectories(root).job("never").delete());
  }
}
