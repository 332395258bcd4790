package dev.concat.activities;

/**
 * @param jobId the job id; names the work directory that holds the joined file
 * @param output the destination S3 URI
 */
public record UploadInput(String jobId, String output) {}
