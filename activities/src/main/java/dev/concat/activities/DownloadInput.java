package dev.concat.activities;

import java.util.List;

/**
 * @param jobId the job (and workflow) id; names the work directory
 * @param segments the segments' S3 URIs ({@code s3://bucket/key}), in playing order
 */
public record DownloadInput(String jobId, List<String> segments) {}
