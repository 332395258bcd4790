package dev.concat.workflows;

/**
 * What a completed job produced.
 *
 * @param output the output's S3 URI
 * @param durationSeconds the output's duration measured by ffprobe
 * @param sizeBytes the output's size
 * @param mode {@code copy} or {@code reencode}
 * @param downloadSeconds time spent downloading segments
 * @param concatSeconds time spent probing and running FFmpeg
 * @param uploadSeconds time spent uploading the output
 */
public record ConcatResult(
    String output,
    double durationSeconds,
    long sizeBytes,
    String mode,
    double downloadSeconds,
    double concatSeconds,
    double uploadSeconds) {}
