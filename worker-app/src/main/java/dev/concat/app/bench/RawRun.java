package dev.concat.app.bench;

import java.util.OptionalDouble;

/**
 * The shell-script way's timings, in seconds.
 *
 * @param ffmpegCpuSeconds the user and system time of the FFmpeg runs
 * @param ffmpegSpeed FFmpeg's own {@code speed=} for the joining run (decoding runs for mixed sets not included)
 */
record RawRun(double downloadSeconds, double ffmpegSeconds, double uploadSeconds, double totalSeconds,
    double ffmpegCpuSeconds, OptionalDouble ffmpegSpeed) {}
