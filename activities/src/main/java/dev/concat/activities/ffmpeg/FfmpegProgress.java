package dev.concat.activities.ffmpeg;

/**
 * One block of FFmpeg's {@code -progress} output.
 *
 * @param outTimeMicros how much output audio is written, in microseconds
 * @param totalSize output bytes written so far
 * @param end true for the last block, written when FFmpeg finished
 */
public record FfmpegProgress(long outTimeMicros, long totalSize, boolean end) {}
