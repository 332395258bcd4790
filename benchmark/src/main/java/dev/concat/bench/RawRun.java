package dev.concat.bench;

import java.util.OptionalDouble;

/**
 * The shell-script way's timings, in seconds.
 *
 * @param ffmpegSeconds wall time of the FFmpeg runs that decode and join
 * @param meterSeconds wall time of the loudness meter over the output, run after the pipeline and
 *     not in its total
 * @param ffmpegCpuSeconds the user and system time of the FFmpeg runs that decode and join
 * @param ffmpegSpeed FFmpeg's own {@code speed=} for the joining run (decoding runs for mixed sets
 *     not included)
 */
record RawRun(
    double downloadSeconds,
    double ffmpegSeconds,
    double meterSeconds,
    double uploadSeconds,
    double totalSeconds,
    double ffmpegCpuSeconds,
    OptionalDouble ffmpegSpeed) {}
