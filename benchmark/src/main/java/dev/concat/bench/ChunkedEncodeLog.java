package dev.concat.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a worker logged about one job's chunked MP3 encode (ChunkedJoinEncode's line "job J: decoded
 * the join to PCM in D s, encoded it in N chunks (K kept from an earlier attempt or job, R again
 * without the bit reservoir) on up to C cores in S s"): the worker's own account, so the bench need
 * not guess what a chunk costs.
 *
 * @param decodeKept whether an earlier attempt's PCM decode was used rather than decoded again
 * @param chunks N, every chunk of the join
 * @param keptChunks K, chunks an earlier attempt had finished, not encoded again
 * @param cores C, the encoders that ran at once at most
 * @param encodeSeconds S, the chunk encode's wall time from the PCM decode's start: the encoders
 *     start while the decode is still running, so S includes the part of the decode they wait for
 */
record ChunkedEncodeLog(
    boolean decodeKept,
    double decodeSeconds,
    int chunks,
    int keptChunks,
    int cores,
    double encodeSeconds) {

  /** The line for {@code jobId} in {@code logText}, if the worker wrote one. */
  static Optional<ChunkedEncodeLog> find(String logText, String jobId) {
    Matcher m =
        Pattern.compile(
                "job "
                    + Pattern.quote(jobId)
                    + ": (decoded|kept the earlier attempt's decode of) the join to PCM in ([\\d.]+)"
                    + " s, encoded it in (\\d+) chunks \\((\\d+) kept from an earlier attempt or job, \\d+"
                    + " again without the bit reservoir\\) on up to (\\d+) cores in ([\\d.]+) s from the decode's start")
            .matcher(logText);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new ChunkedEncodeLog(
            !m.group(1).equals("decoded"),
            Double.parseDouble(m.group(2)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(5)),
            Double.parseDouble(m.group(6))));
  }

  /**
   * One chunk's share of the encode: the chunks ran {@code cores} at a time, so the encode took
   * about N / C chunk times (one, when there were fewer chunks than cores). The decode the first
   * chunks wait for is spread over them: a little more than a chunk alone costs, which errs on the
   * bound's lenient side by that share.
   */
  double secondsPerChunk() {
    return encodeSeconds / Math.max(1.0, (double) chunks / cores);
  }
}
