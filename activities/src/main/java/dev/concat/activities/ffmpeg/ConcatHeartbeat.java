package dev.concat.activities.ffmpeg;

/**
 * The concat activity's heartbeat details: what FFmpeg is doing, shown in the Web UI. (Concat does
 * not resume from them; a retry runs FFmpeg again.)
 *
 * @param step {@code probe}, then {@code decode} when segments of mixed formats are decoded to PCM
 *     (or the whole join is, for a chunked encode), then {@code join}, then {@code measure} while
 *     the output is measured; or, for a chunked encode spread over the workers, {@code stage} after
 *     the decode
 * @param segment segments probed or joined so far, the segment being decoded, or the chunks staged
 *     so far
 * @param outputMicros FFmpeg's output time in this step
 */
public record ConcatHeartbeat(String step, int segment, long outputMicros) {}
