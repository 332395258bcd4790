package dev.concat.workflows;

import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.DownloadResult;
import dev.concat.contract.JobActivities;
import dev.concat.contract.StagedChunks;
import dev.concat.contract.UploadInput;
import dev.concat.contract.UploadResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A host's activities whose behaviour each test scripts, to inject the faults the workflow must
 * survive. Records every call as "host:method" so tests can check what ran where.
 */
final class ScriptedJobActivities implements JobActivities {
  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private final String host;
  Function<DownloadInput, DownloadResult> onDownload =
      in -> new DownloadResult(in.segments().size(), 1000L * in.segments().size(), 0.5);
  Function<ConcatInput, ConcatOutput> onConcat =
      in -> new ConcatOutput(2.0 * in.segments().size(), 4321, "reencode", 1.5);
  BiFunction<ConcatInput, StagedChunks, ConcatOutput> onAssemble =
      (in, staged) -> new ConcatOutput(2.0 * in.segments().size(), 4321, "reencode", 1.5);
  Function<UploadInput, UploadResult> onUpload = in -> new UploadResult(4321, 0.25);

  ScriptedJobActivities(String host) {
    this.host = host;
  }

  @Override
  public DownloadResult download(DownloadInput input) {
    CALLS.add(host + ":download");
    return onDownload.apply(input);
  }

  @Override
  public ConcatOutput concat(ConcatInput input) {
    CALLS.add(host + ":concat");
    return onConcat.apply(input);
  }

  @Override
  public ConcatOutput assemble(ConcatInput input, StagedChunks staged) {
    CALLS.add(host + ":assemble");
    return onAssemble.apply(input, staged);
  }

  @Override
  public UploadResult upload(UploadInput input) {
    CALLS.add(host + ":upload");
    return onUpload.apply(input);
  }

  @Override
  public void cleanup(String jobId) {
    CALLS.add(host + ":cleanup");
  }
}
