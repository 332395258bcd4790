package dev.concat.app.jobs;

import com.fasterxml.jackson.core.JacksonException;
import dev.concat.contract.ConcatRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job manifest: a JSON file with the fields of {@link ConcatRequest}. Its local paths are
 * relative to its folder and must stay in it (no {@code ..} out of it, no absolute path elsewhere,
 * no symbolic link leading out), so a manifest someone else wrote cannot make {@code submit} upload
 * ~/.ssh or /etc to a bucket.
 */
public final class Manifests {
  private Manifests() {}

  public static ConcatRequest read(Path manifest) {
    ConcatRequest request;
    try {
      request = StatusFormat.JSON.readValue(manifest.toFile(), ConcatRequest.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "manifest " + manifest + " is not a valid job: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read manifest " + manifest + ": " + e.getMessage(), e);
    }
    if (request == null) {
      throw new IllegalArgumentException("manifest " + manifest + " is empty");
    }
    List<String> outside = outsideItsFolder(request, manifest.toAbsolutePath().getParent());
    if (!outside.isEmpty()) {
      throw new IllegalArgumentException(
          "manifest " + manifest + ": " + String.join("; ", outside));
    }
    return request;
  }

  private static List<String> outsideItsFolder(ConcatRequest request, Path folder) {
    List<String> problems = new ArrayList<>();
    List<String> segments = request.segments() == null ? List.of() : request.segments();
    for (int i = 0; i < segments.size(); i++) {
      if (isOutside(segments.get(i), folder)) {
        problems.add(
            "segment "
                + i
                + " '"
                + segments.get(i)
                + "' is outside the manifest's folder "
                + folder);
      }
    }
    String cover = request.metadata() == null ? null : request.metadata().cover();
    if (isOutside(cover, folder)) {
      problems.add("cover '" + cover + "' is outside the manifest's folder " + folder);
    }
    return problems;
  }

  /**
   * Whether a local path (not an s3:// URI), with every symbolic link followed, lies outside {@code
   * folder}.
   */
  private static boolean isOutside(String path, Path folder) {
    if (path == null || path.startsWith("s3://")) {
      return false;
    }
    try {
      Path file = folder.resolve(path).normalize();
      Path real = Files.exists(file) ? file.toRealPath() : file;
      return !real.startsWith(folder.toRealPath());
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }
}
