package dev.concat.activities;

/**
 * @param durationSeconds the joined file's duration as measured by ffprobe
 * @param sizeBytes the joined file's size
 * @param mode {@code copy} or {@code reencode}
 * @param seconds wall time of the FFmpeg phase, probing included
 */
public record ConcatOutput(double durationSeconds, long sizeBytes, String mode, double seconds) {}
