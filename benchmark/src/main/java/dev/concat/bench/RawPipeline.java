package dev.concat.bench;

import dev.concat.activities.ffmpeg.ConcatMode;
import dev.concat.activities.ffmpeg.PlainJoinCommands;
import dev.concat.app.config.FfmpegBinaries;
import dev.concat.app.s3.SharedS3Clients;
import dev.concat.contract.OutputFormat;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * What a user who can write a shell script would do, with no Temporal anywhere: the same S3 GETs
 * with the same client settings and parallelism, the same FFmpeg command lines concat runs (from
 * {@link PlainJoinCommands}), one after another, and the same multipart upload.
 */
final class RawPipeline {
  /** Concat's decode batch size (SegmentDecoder). */
  private static final int DECODE_BATCH = 32;

  private final SharedS3Clients s3;
  private final FfmpegBinaries ffmpeg;
  private final int parallelism;

  RawPipeline(SharedS3Clients s3, FfmpegBinaries ffmpeg, int parallelism) {
    this.s3 = s3;
    this.ffmpeg = ffmpeg;
    this.parallelism = parallelism;
  }

  /**
   * Joins {@code segments} into {@code output}, working in {@code workDir}, which it deletes at the
   * end.
   */
  RawRun run(
      List<S3Uri> segments,
      S3Uri output,
      OutputFormat format,
      boolean mixedFormats,
      boolean streamCopy,
      Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    try {
      long started = System.nanoTime();
      List<Path> files = download(segments, workDir);
      long downloaded = System.nanoTime();
      Path joined = workDir.resolve("output." + format.extension());
      List<FfmpegRun> runs = join(files, format, mixedFormats, streamCopy, workDir, joined);
      long concatenated = System.nanoTime();
      upload(joined, output, format);
      long uploaded = System.nanoTime();
      // A shell script measures nothing. The meter concat's result needs runs after the timed
      // pipeline, so the report can say what measuring would cost a script, outside its total.
      FfmpegRun meter =
          FfmpegRun.of(
              PlainJoinCommands.meter(ffmpeg.ffmpeg(), joined, workDir.resolve("output.r128.txt")));
      return new RawRun(
          (downloaded - started) / 1e9,
          runs.stream().mapToDouble(FfmpegRun::seconds).sum(),
          meter.seconds(),
          (uploaded - concatenated) / 1e9,
          (uploaded - started) / 1e9,
          runs.stream().mapToDouble(FfmpegRun::cpuSeconds).sum(),
          runs.get(runs.size() - 1).speed());
    } finally {
      LocalResources.deleteTree(workDir);
    }
  }

  private List<Path> download(List<S3Uri> segments, Path workDir) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<Path>> gets = new ArrayList<>();
      for (int i = 0; i < segments.size(); i++) {
        S3Uri uri = segments.get(i);
        Path target = workDir.resolve(String.format(Locale.ROOT, "%06d.%s", i, uri.extension()));
        gets.add(
            pool.submit(
                () -> {
                  s3.client()
                      .getObject(
                          b -> b.bucket(uri.bucket()).key(uri.key()),
                          ResponseTransformer.toFile(target));
                  return target;
                }));
      }
      List<Path> files = new ArrayList<>();
      for (Future<Path> get : gets) {
        files.add(get.get());
      }
      return files;
    } catch (ExecutionException e) {
      throw new IllegalStateException("raw download failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Mixed formats are decoded to PCM first, in batches of the same size as concat's; then one join.
   * (Concat also fits AAC and Vorbis segments to their stated length, one ffprobe each; a script
   * would not.)
   */
  private List<FfmpegRun> join(
      List<Path> files,
      OutputFormat format,
      boolean mixedFormats,
      boolean streamCopy,
      Path workDir,
      Path joined)
      throws IOException, InterruptedException {
    List<FfmpegRun> runs = new ArrayList<>();
    List<Path> inputs = files;
    if (mixedFormats) {
      inputs = new ArrayList<>();
      for (int start = 0; start < files.size(); start += DECODE_BATCH) {
        List<Path> batch = files.subList(start, Math.min(start + DECODE_BATCH, files.size()));
        List<Path> wavs =
            batch.stream().map(file -> workDir.resolve(file.getFileName() + ".wav")).toList();
        runs.add(
            FfmpegRun.of(
                PlainJoinCommands.decodeToPcm(ffmpeg.ffmpeg(), batch, wavs, Encoding.DEFAULTS)));
        inputs.addAll(wavs);
      }
    }
    ConcatMode mode = streamCopy && !mixedFormats ? ConcatMode.COPY : ConcatMode.REENCODE;
    runs.add(
        FfmpegRun.of(
            PlainJoinCommands.join(
                ffmpeg.ffmpeg(),
                workDir.resolve("concat.txt"),
                inputs,
                format,
                mode,
                Encoding.DEFAULTS,
                joined)));
    return runs;
  }

  private void upload(Path file, S3Uri output, OutputFormat format) {
    s3.transferManager()
        .uploadFile(
            UploadFileRequest.builder()
                .putObjectRequest(
                    b ->
                        b.bucket(output.bucket())
                            .key(output.key())
                            .contentType(format.contentType()))
                .source(file)
                .build())
        .completionFuture()
        .join();
  }
}
