package dev.concat.activities.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.Tmpfs;
import dev.concat.activities.workdir.LocalDiskFault;
import dev.concat.activities.workdir.WholeFile;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One object's GET against a real S3 API: resumed where an earlier GET stopped, and a full disk
 * named as such.
 */
class SegmentFetchTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  @TempDir Path temp;
  SegmentFetch fetch;

  @BeforeEach
  void start() {
    s3.store().reset();
    fetch = new SegmentFetch(s3.s3());
  }

  @Test
  void aPartialFileOfTheSameObjectIsContinuedWithARangedGet() throws IOException {
    byte[] object = bytes(1_000_000, 1);
    S3Uri uri = S3Uri.parse(s3.put("resume/a.mp3", object));
    Path target = temp.resolve("00000.mp3");
    int already = 300_000;
    leavePartial(target, uri, Arrays.copyOf(object, already));
    var watch = new TransferWatch();

    long size = fetch.fetch("job j", 0, uri, target, watch);

    assertEquals(object.length, size);
    assertArrayEquals(
        object, Files.readAllBytes(target), "the continued file is the object, byte for byte");
    assertEquals(
        List.of("bytes=" + already + "-"), s3.store().getRanges(), "one GET, for the rest only");
    assertEquals(object.length - already, watch.received(), "bytes fetched by the resumed GET");
    assertFalse(Files.exists(WholeFile.inProgress(target)), "no partial file is left");
  }

  @Test
  void aPartialFileOfAnObjectThatChangedSinceIsDiscardedNotStitched() throws IOException {
    byte[] before = bytes(1_000_000, 2);
    S3Uri uri = S3Uri.parse(s3.put("resume/b.mp3", before));
    Path target = temp.resolve("00001.mp3");
    leavePartial(target, uri, Arrays.copyOf(before, 300_000));
    byte[] after = bytes(1_000_000, 3);
    s3.put("resume/b.mp3", after);

    fetch.fetch("job j", 1, uri, target, new TransferWatch());

    assertArrayEquals(
        after, Files.readAllBytes(target), "the file is the new object, not old bytes and new");
    List<String> ranges = s3.store().getRanges();
    assertEquals(
        "whole", ranges.get(ranges.size() - 1), () -> "fetched again from the start: " + ranges);
  }

  @Test
  void aFullDiskFailsTheFetchAtOnceAsInsufficientDiskAfterOneGet() throws IOException {
    byte[] object = bytes(2_000_000, 4);
    S3Uri uri = S3Uri.parse(s3.put("full/c.mp3", object));
    try (Tmpfs disk = Tmpfs.mount(temp.resolve("small"), "8m")) {
      // Leave about 1 MB free of 8.
      Files.write(disk.dir().resolve("filler"), new byte[7 * 1024 * 1024]);
      Path target = disk.dir().resolve("00002.mp3");
      long started = System.nanoTime();

      LocalDiskFault fault =
          assertThrows(
              LocalDiskFault.class,
              () -> fetch.fetch("job j", 2, uri, target, new TransferWatch()));

      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals(FailureType.INSUFFICIENT_DISK, fault.failureType());
      assertTrue(
          fault.getMessage().contains("ran out of space writing " + WholeFile.inProgress(target)),
          fault::getMessage);
      assertTrue(fault.getMessage().contains("No space left on device"), fault::getMessage);
      assertTrue(
          fault.neededBytes() > 0 && fault.neededBytes() <= object.length,
          () -> "needed " + fault.neededBytes());
      assertEquals(
          1, s3.store().gets(), "one GET: a full disk is not retried as if S3 were at fault");
      assertTrue(seconds < 10, "failed in " + seconds + " s");
      Files.delete(disk.dir().resolve("filler"));
    }
  }

  /**
   * What a GET cut after {@code head} leaves: the partial file and its object's ETag and length.
   */
  private static void leavePartial(Path target, S3Uri uri, byte[] head) throws IOException {
    var head0 = s3.s3().headObject(b -> b.bucket(uri.bucket()).key(uri.key()));
    PartialFile partial = PartialFile.at("test", WholeFile.inProgress(target));
    partial.begin(head0.eTag(), head0.contentLength());
    Files.write(partial.file(), head, StandardOpenOption.APPEND);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }
}
