package dev.concat.activities.storage;

import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of the output that an object in the store already holds, so that the upload copies them
 * server-side ({@code UploadPartCopy}) instead of sending them.
 *
 * @param start the first byte of the output the object holds
 * @param end one past the last
 * @param source the object, whose bytes are exactly the output's {@code [start, end)}
 */
public record CopySource(long start, long end, S3Uri source) {
  /** S3's least part: a shorter range is sent, not copied. */
  public static final long MIN_BYTES = 5L * 1024 * 1024;

  public CopySource {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("an empty or negative range: " + start + "-" + end);
    }
  }

  public long length() {
    return end - start;
  }

  /** Writes {@code copies} to {@code file}, one a line. */
  public static void writeAll(Path file, List<CopySource> copies) throws IOException {
    Files.write(
        file, copies.stream().map(c -> c.start() + " " + c.end() + " " + c.source()).toList());
  }

  /** What {@link #writeAll} wrote, or nothing when there is no such file. */
  public static List<CopySource> readAll(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<CopySource> copies = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.split(" ", 3);
      copies.add(
          new CopySource(
              Long.parseLong(fields[0]), Long.parseLong(fields[1]), S3Uri.parse(fields[2])));
    }
    return copies;
  }
}
