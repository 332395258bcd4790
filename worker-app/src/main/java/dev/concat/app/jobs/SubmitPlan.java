package dev.concat.app.jobs;

import dev.concat.activities.S3Uri;
import dev.concat.workflows.ConcatRequest;
import dev.concat.workflows.RequestValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A request ready to start: local segment files replaced by their staging URIs in the output's
 * bucket, the files to upload first, and everything wrong with it.
 */
public record SubmitPlan(ConcatRequest request, List<LocalSegment> uploads, List<String> problems) {

  /** Local paths are resolved against {@code baseDir} (the manifest's folder, or the working directory). */
  public static SubmitPlan of(ConcatRequest draft, Path baseDir) {
    List<String> problems = new ArrayList<>();
    List<LocalSegment> uploads = new ArrayList<>();
    Set<Integer> unstaged = new HashSet<>();
    List<String> segments = draft.segments() == null ? List.of() : draft.segments();
    String bucket = S3Uri.problem(draft.output()).isEmpty() ? S3Uri.parse(draft.output()).bucket() : null;
    List<String> resolved = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      resolved.add(segment);
      if (segment == null || segment.startsWith("s3://")) {
        continue;
      }
      Path file = baseDir.resolve(segment).normalize();
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        problems.add("segment " + i + ": '" + segment + "' is neither an s3:// URI nor a readable file");
        unstaged.add(i);
      } else if (bucket == null || draft.jobId() == null) {
        // The output's or job id's own problem explains why it cannot be staged.
        unstaged.add(i);
      } else {
        LocalSegment local = LocalSegment.stage(bucket, draft.jobId(), i, file);
        uploads.add(local);
        resolved.set(i, local.target().toString());
      }
    }
    ConcatRequest request = draft.withIdentity(
        draft.jobId(), resolved, draft.output(), draft.allowStreamCopy(), draft.timeouts());
    for (String problem : RequestValidator.problems(request, request.jobId())) {
      if (unstaged.stream().noneMatch(i -> problem.startsWith("segment " + i + ":"))) {
        problems.add(problem);
      }
    }
    return new SubmitPlan(request, List.copyOf(uploads), List.copyOf(problems));
  }
}
