package dev.concat.contract;

/**
 * One chunk to encode, on any worker: {@link StagedChunks} narrowed to {@code chunk}.
 *
 * @param jobId the job the chunk belongs to, for errors and logs
 * @param prefix the job's staging prefix, {@code s3://bucket/.../}
 * @param sampleRate of the PCM and of the MP3
 * @param bitrateKbps the CBR rate
 * @param reservoir whether the encoder uses the bit reservoir
 * @param chunk the chunk
 */
public record ChunkTask(
    String jobId,
    String prefix,
    int sampleRate,
    int bitrateKbps,
    boolean reservoir,
    StagedChunk chunk) {}
