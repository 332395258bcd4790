package dev.concat.contract;

/**
 * @param chunks chunks in the run
 * @param reused of them, those whose output was already staged (by an earlier attempt or run of the
 *     job), not encoded again
 * @param bytes of their encoded frames
 * @param seconds wall time of the activity, transfers included
 * @param worker the worker that ran it
 */
public record ChunkEncoded(int chunks, int reused, long bytes, double seconds, String worker) {}
