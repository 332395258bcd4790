package dev.concat.activities.workdir;

import dev.concat.contract.FailureSubject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One job's local files: {@code segments/00042.mp3} (named by index, never by S3 key), the concat
 * list, and the output. Files are written under a temporary name and renamed when complete, so a
 * name without the temporary suffix is always a whole file.
 */
public final class JobWorkDir {
  private static final Pattern SAFE_EXTENSION = Pattern.compile("[a-z0-9]{1,10}");

  private final String jobId;
  private final Path root;
  private final ChunkCache chunkCache;

  JobWorkDir(String jobId, Path root, ChunkCache chunkCache) {
    this.jobId = jobId;
    this.root = root;
    this.chunkCache = chunkCache;
  }

  public String jobId() {
    return jobId;
  }

  public Path root() {
    return root;
  }

  /**
   * The host's chunks kept after their jobs, which this job's chunked encode may use and add to.
   */
  public ChunkCache chunkCache() {
    return chunkCache;
  }

  public Path segmentsDir() {
    return root.resolve("segments");
  }

  /** The segment's file; {@code extension} comes from the S3 key, reduced to a safe alphabet. */
  public Path segment(int index, String extension) {
    return segmentsDir().resolve(String.format(Locale.ROOT, "%05d.%s", index, safe(extension)));
  }

  /**
   * A segment decoded to the output's rate and channels as PCM, for joins that need exact lengths.
   */
  public Path normalized(int index) {
    return root.resolve("normalized").resolve(String.format(Locale.ROOT, "%05d.wav", index));
  }

  /** The silence inserted between segments when the job asks for a gap. */
  public Path gap() {
    return root.resolve("normalized").resolve("gap.wav");
  }

  /** The episode's cover image; {@code extension} comes from its S3 key. */
  public Path cover(String extension) {
    return root.resolve("cover." + safe(extension));
  }

  /** An extension from an S3 key, reduced to a safe alphabet: never a path separator or a dot. */
  private static String safe(String extension) {
    String ext = extension.toLowerCase(Locale.ROOT);
    return SAFE_EXTENSION.matcher(ext).matches() ? ext : "bin";
  }

  /** FFmpeg's metadata file: the episode's tags and chapters. */
  public Path metadataFile() {
    return root.resolve("metadata.txt");
  }

  /**
   * A chunked encode's chunk files, each named by what it encodes; a spread encode's chunks are
   * fetched here before they are joined.
   */
  public Path chunksDir() {
    return root.resolve("chunks");
  }

  public Path concatList() {
    return root.resolve("list.txt");
  }

  public Path partialOutput(String extension) {
    return root.resolve("output.partial." + extension);
  }

  public Path output(String extension) {
    return root.resolve("output." + extension);
  }

  /** The output's ranges the store already holds, which its upload copies ({@code CopySource}). */
  public Path outputCopies() {
    return root.resolve("output.copies");
  }

  /**
   * Makes the directory ready to download {@code segmentUris}, and says whether it kept files. The
   * list is stored next to the segments: a directory left by the same list (an earlier attempt on
   * this host) is kept, so its complete segments are reused; one left by a different list under the
   * same job id (a reused workflow id whose cleanup failed) is wiped first.
   */
  public boolean prepare(List<String> segmentUris) {
    String list = String.join("\n", segmentUris) + "\n";
    Path listFile = root.resolve("segments.list");
    try {
      boolean same =
          Files.isRegularFile(listFile)
              && Files.readString(listFile, StandardCharsets.UTF_8).equals(list);
      if (!same) {
        delete();
        Files.createDirectories(segmentsDir());
        WholeFile.write(listFile, part -> Files.writeString(part, list, StandardCharsets.UTF_8));
      }
      return same;
    } catch (IOException e) {
      throw LocalDiskFault.writing(
          FailureSubject.job(jobId).describe("preparing the work directory"), root, 0, e);
    }
  }

  /** Deletes the whole directory; returns false when it did not exist. */
  public boolean delete() {
    return deleteTree(root);
  }

  static boolean deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return false;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              // A file that vanished meanwhile (a concurrent delete) is what we wanted anyway.
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
      return true;
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
