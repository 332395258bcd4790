package dev.concat.activities;

import java.util.List;

/**
 * @param jobId the job id; names the work directory
 * @param segments the segments' S3 URIs in playing order (used to name a bad segment in errors)
 * @param output the output's S3 URI; its extension picks the container and codec
 * @param allowStreamCopy whether the request accepts stream copy when the inputs allow it
 */
public record ConcatInput(String jobId, List<String> segments, String output, boolean allowStreamCopy) {}
