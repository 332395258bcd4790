package dev.concat.app.jobs;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.rules.S3Uri;
import dev.concat.workflows.RequestValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A request ready to start: local segment and cover files replaced by their staging URIs in the
 * output's bucket, the files to upload first, and everything wrong with it.
 *
 * @param cover the local cover image to upload first, or null when there is none
 */
public record SubmitPlan(
    ConcatRequest request, List<LocalSegment> uploads, LocalCover cover, List<String> problems) {

  /**
   * Local paths are resolved against {@code baseDir} (the manifest's folder, or the working
   * directory).
   */
  public static SubmitPlan of(ConcatRequest draft, Path baseDir) {
    List<String> problems = new ArrayList<>();
    List<LocalSegment> uploads = new ArrayList<>();
    Set<Integer> unstaged = new HashSet<>();
    List<String> segments = draft.segments() == null ? List.of() : draft.segments();
    String bucket =
        S3Uri.problem(draft.output()).isEmpty() ? S3Uri.parse(draft.output()).bucket() : null;
    // Without a bucket or a job id nothing is staged; their own problems explain why.
    boolean canStage = bucket != null && draft.jobId() != null;
    List<String> resolved = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      resolved.add(segment);
      Path file = localFile(segment, baseDir);
      if (file == null) {
        continue;
      }
      if (!isReadableFile(file)) {
        problems.add(
            "segment " + i + ": '" + segment + "' is neither an s3:// URI nor a readable file");
        unstaged.add(i);
      } else if (!canStage) {
        unstaged.add(i);
      } else {
        LocalSegment local = LocalSegment.stage(bucket, draft.jobId(), i, file);
        uploads.add(local);
        resolved.set(i, local.target().toString());
      }
    }
    String cover = draft.metadata() == null ? null : draft.metadata().cover();
    Path coverFile = localFile(cover, baseDir);
    LocalCover localCover = null;
    if (coverFile != null && !isReadableFile(coverFile)) {
      problems.add("cover: '" + cover + "' is neither an s3:// URI nor a readable file");
    } else if (coverFile != null && canStage) {
      localCover = LocalCover.stage(bucket, draft.jobId(), coverFile);
      cover = localCover.target().toString();
    }
    ConcatRequest request =
        draft.toBuilder().segments(resolved).metadata(withCover(draft.metadata(), cover)).build();
    // A local cover left unstaged is reported above (or by the output's or job id's problem), not
    // again as a bad URI.
    ConcatRequest checked =
        coverFile != null && localCover == null
            ? request.toBuilder().metadata(withCover(draft.metadata(), null)).build()
            : request;
    for (String problem : RequestValidator.problems(checked, checked.jobId())) {
      if (unstaged.stream().noneMatch(i -> problem.startsWith("segment " + i + ":"))) {
        problems.add(problem);
      }
    }
    return new SubmitPlan(request, List.copyOf(uploads), localCover, List.copyOf(problems));
  }

  /** The local file {@code path} names, or null when it is an s3:// URI or absent. */
  private static Path localFile(String path, Path baseDir) {
    return path == null || path.startsWith("s3://") ? null : baseDir.resolve(path).normalize();
  }

  private static boolean isReadableFile(Path file) {
    return Files.isRegularFile(file) && Files.isReadable(file);
  }

  private static EpisodeMetadata withCover(EpisodeMetadata m, String cover) {
    return m == null
        ? null
        : new EpisodeMetadata(m.title(), m.artist(), m.album(), m.episode(), cover);
  }
}
