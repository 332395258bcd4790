package dev.concat.activities;

/**
 * Whether a chunked join is worth spreading over the workers of the chunk queue. Staging a join's
 * chunks for a fleet of one only sends its PCM through the bucket and back (a 10-hour join on 2
 * cores: 382 s spread, 274 s on the host's own cores), so a host spreads a join only where other
 * workers would encode some of it.
 */
@FunctionalInterface
public interface ChunkFleet {
  /** A fleet taken to help with every join: every chunked join that may be spread is. */
  ChunkFleet ASSUMED = (jobId, seconds) -> true;

  /** True when other workers would encode some of job {@code jobId}'s join of {@code seconds}. */
  boolean helpsWith(String jobId, double seconds);
}
