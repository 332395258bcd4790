package dev.concat.contract;

/**
 * One chunk of a spread MP3 encode: its input (16-bit PCM WAV, pre- and post-roll included) and
 * where its encoded frames go, both under the job's {@link StagedChunks#prefix()}, named by what
 * they hold so that a chunk whose output is there is never encoded again.
 *
 * @param index position in the output, from 0
 * @param inputKey the PCM WAV's name under the prefix (a plain file name: its key is the prefix's
 *     key followed by it)
 * @param outputKey the encoded frames' name under the prefix, as {@code inputKey}; also the name of
 *     the chunk's file on the host, where the join looks for it
 * @param firstFrame the first frame of the whole stream this chunk owns
 * @param endFrame one past the last frame it owns
 * @param inputSamples samples per channel in the input WAV, which starts at the chunk's first input
 *     sample (pre-roll included)
 * @param framesToDrop leading encoder frames that only warm the encoder up
 * @param last whether this chunk ends the stream and keeps its encoder's flush frames
 */
public record StagedChunk(
    int index,
    String inputKey,
    String outputKey,
    long firstFrame,
    long endFrame,
    long inputSamples,
    int framesToDrop,
    boolean last) {}
