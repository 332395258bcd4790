package dev.concat.contract;

/**
 * @param index the chunk's position in the output
 * @param bytes of its encoded frames
 * @param seconds wall time of the activity, transfers included
 * @param reused true when its output was already staged (by an earlier attempt or job run) and
 *     nothing was encoded
 * @param worker the worker that ran it
 */
public record ChunkEncoded(int index, long bytes, double seconds, boolean reused, String worker) {}
