/**
 * Loudness of a programme measured in chunks on separate workers, merged into exactly the
 * measurement of the whole (issue 15): BS.1770-4 integrated loudness, EBU Tech 3342 loudness range
 * and the true peak. Nothing here knows Temporal or S3.
 *
 * <p>Each chunk meters the gating blocks that end in its owned span ({@link
 * dev.concat.activities.loudness.ChunkLoudnessMeter}), from a file that starts early enough for the
 * first of them; {@link dev.concat.activities.loudness.ChunkLoudness#merged} adds them up and
 * refuses a set of chunks that leaves out or repeats a block.
 *
 * <p>Choices, as measured (FFmpeg 5.1, 10 minutes of 48 kHz stereo, see {@code
 * ChunkLoudnessBenchmark}):
 *
 * <ul>
 *   <li>Blocks are metered in Java from FFmpeg's decoded samples rather than read from FFmpeg's
 *       {@code ebur128} momentary values. Those are the same blocks (the first value at 0.3 s is
 *       the block [0, 0.4 s); the three before it print -120.691, no partial blocks), but printed
 *       to 0.001 LU, aligned on the file's start instead of the programme's, and a chunk would need
 *       them re-indexed. The Java meter costs about 0.4 s of CPU beside a 0.2 s decode: 0.2 s of it
 *       the true peak (0.4 s when it went a sample at a time; {@code TruePeakBenchmark}), 0.1 s the
 *       K-weighting. {@code ebur128} costs 0.8 s without its true peak and 1.9 s with it.
 *   <li>A chunk's blocks travel as their global range and a 0.01 LU histogram of count and summed
 *       energy ({@link dev.concat.activities.loudness.LoudnessHistogram}): about 46 kB of JSON for
 *       any length, against 1.44 MB raw (1.92 MB base64, 4.7 MB as a JSON array) for a float per
 *       block of a 10-hour job, near Temporal's 2 MB payload limit. The summed energy keeps the
 *       gated mean exact; FFmpeg's own histogram reads each band at its lower edge, about 0.005 LU
 *       low.
 * </ul>
 */
package dev.concat.activities.loudness;
