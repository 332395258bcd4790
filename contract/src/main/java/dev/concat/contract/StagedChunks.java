package dev.concat.contract;

import java.util.List;

/**
 * A chunked MP3 encode the job's host decoded and staged for any worker to encode ({@link
 * ChunkActivities}), then joins ({@link JobActivities#assemble}).
 *
 * @param prefix the job's staging prefix, {@code s3://bucket/.../}; everything under it is the
 *     job's and is deleted when the job ends
 * @param sampleRate of the PCM and of the MP3
 * @param bitrateKbps the CBR rate every chunk is encoded at
 * @param reservoir whether the encoders use the bit reservoir (the join carries it across seams)
 * @param chunks in output order
 * @param runSeconds about how much audio one worker encodes in one activity, chunk after chunk: the
 *     host's setting, so that operators trade a job's history length against its spread
 */
public record StagedChunks(
    String prefix,
    int sampleRate,
    int bitrateKbps,
    boolean reservoir,
    List<StagedChunk> chunks,
    long runSeconds) {

  /**
   * What one worker needs to encode chunks {@code from} to {@code to} (exclusive), without the
   * other chunks (they would swell the history).
   */
  public ChunkTask task(String jobId, int from, int to) {
    return new ChunkTask(
        jobId, prefix, sampleRate, bitrateKbps, reservoir, List.copyOf(chunks.subList(from, to)));
  }
}
