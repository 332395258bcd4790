package dev.concat.activities.workdir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Tmpfs;
import dev.concat.contract.FailureType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's chunks kept after their jobs: kept, linked back, evicted least recently used first.
 */
class ChunkCacheTest {
  private static final int MIB = 1 << 20;

  @TempDir Path temp;

  @Test
  void aKeptChunkIsLinkedIntoALaterJobWithItsMeasurement() throws Exception {
    var cache = new ChunkCache(temp.resolve("cache"), 10 * MIB);
    Path first = Files.createDirectories(temp.resolve("job-1"));
    byte[] frames = bytes(1000, 1);
    Files.write(first.resolve("chunk-00001-ab.mp3"), frames);
    Files.writeString(first.resolve("chunk-00001-ab.mp3.loudness.json"), "{}");

    cache.keep(first.resolve("chunk-00001-ab.mp3.loudness.json"));
    cache.keep(first.resolve("chunk-00001-ab.mp3"));

    assertFalse(Files.exists(first.resolve("chunk-00001-ab.mp3")), "moved, not copied");
    Path second = Files.createDirectories(temp.resolve("job-2"));
    assertTrue(cache.restore(second.resolve("chunk-00001-ab.mp3.loudness.json")));
    assertTrue(cache.restore(second.resolve("chunk-00001-ab.mp3")));
    assertArrayEquals(frames, Files.readAllBytes(second.resolve("chunk-00001-ab.mp3")));
    assertEquals("{}", Files.readString(second.resolve("chunk-00001-ab.mp3.loudness.json")));
    assertFalse(cache.restore(second.resolve("chunk-00002-cd.mp3")), "never kept");
    assertFalse(cache.restore(second.resolve("chunk-00001-ab.mp3")), "already there");
    assertTrue(
        Files.exists(temp.resolve("cache").resolve("chunk-00001-ab.mp3")),
        "still kept for the next job");
  }

  @Test
  void aCacheWithoutBudgetKeepsNothing() throws Exception {
    var cache = new ChunkCache(temp.resolve("cache"), 0);
    Path job = Files.createDirectories(temp.resolve("job"));
    Files.write(job.resolve("chunk-00000-ab.mp3"), bytes(10, 2));

    cache.keep(job.resolve("chunk-00000-ab.mp3"));

    assertFalse(Files.exists(job.resolve("chunk-00000-ab.mp3")), "deleted");
    assertFalse(Files.exists(temp.resolve("cache")), "nothing kept");
    assertFalse(cache.restore(temp.resolve("other").resolve("chunk-00000-ab.mp3")));
  }

  @Test
  void pastItsBudgetTheLeastRecentlyUsedChunksGoWithTheirMeasurements() throws Exception {
    Path dir = temp.resolve("cache");
    var cache = new ChunkCache(dir, 2 * MIB + 100);
    Path job = Files.createDirectories(temp.resolve("job"));
    for (String chunk : new String[] {"chunk-00000-aa.mp3", "chunk-00001-bb.mp3"}) {
      Files.write(job.resolve(chunk), bytes(MIB, 3));
      Files.writeString(job.resolve(chunk + ".loudness.json"), "{}");
      cache.keep(job.resolve(chunk + ".loudness.json"));
      cache.keep(job.resolve(chunk));
    }
    usedAt(dir, "chunk-00000-aa.mp3", 1_000);
    usedAt(dir, "chunk-00001-bb.mp3", 2_000);
    // A later job used the older one: now chunk 1 is the least recently used.
    assertTrue(
        cache.restore(
            Files.createDirectories(temp.resolve("reader")).resolve("chunk-00000-aa.mp3")));
    Files.write(job.resolve("chunk-00002-cc.mp3"), bytes(MIB, 4));
    cache.keep(job.resolve("chunk-00002-cc.mp3"));

    cache.trim();

    assertTrue(Files.exists(dir.resolve("chunk-00000-aa.mp3")));
    assertTrue(Files.exists(dir.resolve("chunk-00000-aa.mp3.loudness.json")));
    assertFalse(Files.exists(dir.resolve("chunk-00001-bb.mp3")), "least recently used");
    assertFalse(Files.exists(dir.resolve("chunk-00001-bb.mp3.loudness.json")), "with its chunk");
    assertTrue(Files.exists(dir.resolve("chunk-00002-cc.mp3")));
    assertTrue(cache.bytes() <= 2 * MIB + 100, cache.bytes() + " bytes kept");
  }

  /** On a real 8 MiB tmpfs: the disk check evicts kept chunks before it refuses a job. */
  @Test
  void aJobShortOfDiskEvictsKeptChunksBeforeItIsRefused() throws Exception {
    try (Tmpfs disk = Tmpfs.mount(temp.resolve("work"), "8m")) {
      var dirs = new WorkDirectories(disk.dir(), 6L * MIB);
      JobWorkDir job = dirs.job("needs-room");
      Path chunks = Files.createDirectories(job.root().resolve("chunks"));
      for (int i = 0; i < 5; i++) {
        Path chunk = chunks.resolve("chunk-0000" + i + "-ab.mp3");
        Files.write(chunk, bytes(MIB, i));
        job.chunkCache().keep(chunk);
      }
      long usable = DiskSpace.usable(job.root());
      assertTrue(usable < 4L * MIB, usable + " bytes free");

      DiskSpace.require(job, 4L * MIB, "a test's 4 MiB");

      assertTrue(DiskSpace.usable(job.root()) >= 4L * MIB, "the room was made");
      assertTrue(job.chunkCache().bytes() < 5L * MIB, "by evicting kept chunks");
      LocalDiskFault refused =
          assertThrows(
              LocalDiskFault.class, () -> DiskSpace.require(job, 20L * MIB, "more than the disk"));
      assertEquals(FailureType.INSUFFICIENT_DISK, refused.failureType());
      assertEquals(0, job.chunkCache().bytes(), "everything kept was given up first");
    }
  }

  private static void usedAt(Path dir, String chunk, long millis) throws Exception {
    Files.setLastModifiedTime(dir.resolve(chunk), FileTime.fromMillis(millis));
    Path measurement = dir.resolve(chunk + ".loudness.json");
    if (Files.exists(measurement)) {
      Files.setLastModifiedTime(measurement, FileTime.fromMillis(millis));
    }
  }

  private static byte[] bytes(int size, int seed) {
    byte[] bytes = new byte[size];
    new java.util.Random(seed).nextBytes(bytes);
    return bytes;
  }
}
