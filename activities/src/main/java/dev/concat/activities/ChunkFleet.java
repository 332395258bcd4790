package dev.concat.activities;

/**
 * Whether workers other than this one take chunks from the chunk queue. Staging a join's chunks for
 * a fleet of one only sends its PCM through the bucket and back (a 10-hour join on 2 cores: 382 s
 * spread, 274 s on the host's own cores), so a host spreads a join only where another worker would
 * encode some of it.
 */
@FunctionalInterface
public interface ChunkFleet {
  /** A fleet taken to have other encoders: every chunked join that may be spread is. */
  ChunkFleet ASSUMED = jobId -> true;

  /** True when another worker is there to encode chunks of job {@code jobId}. */
  boolean othersEncode(String jobId);
}
