package dev.concat.contract;

import java.util.List;

/**
 * A run of consecutive chunks for one worker to encode, one after the other: {@link StagedChunks}
 * narrowed to {@code chunks}. Runs rather than single chunks keep a long job's history short (a
 * 10-hour job has 600 one-minute chunks), while each chunk is still stored as it finishes, so a
 * lost worker costs at most the chunk it was encoding (and the one before, if it was still
 * measuring and storing that one).
 *
 * @param jobId the job the chunks belong to, for errors and logs
 * @param prefix the job's staging prefix, {@code s3://bucket/.../}
 * @param sampleRate of the PCM and of the MP3
 * @param bitrateKbps the CBR rate
 * @param reservoir whether the encoder uses the bit reservoir
 * @param chunks consecutive chunks, in output order
 */
public record ChunkTask(
    String jobId,
    String prefix,
    int sampleRate,
    int bitrateKbps,
    boolean reservoir,
    List<StagedChunk> chunks) {}
