package dev.concat.bench;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one run measured, for the report.
 *
 * @param loadAtStart the 1-minute load average before the benchmark started any work
 * @param othersCpuShare the share of the machine's CPU used by other processes during the
 *     measurements
 * @param loudness what normalising set A's jobs cost, when set A ran
 * @param killResume the kill-and-resume run, when set K ran
 * @param spread the spread encode on one worker and on two, when set S ran
 */
public record BenchResults(
    BenchSettings settings,
    MachineDescription machine,
    String temporal,
    Instant startedAt,
    double wallSeconds,
    double loadAtStart,
    double othersCpuShare,
    List<RowResult> rows,
    Optional<ThroughputResult> throughput,
    Optional<LoudnessCost> loudness,
    Optional<KillResumeResult> killResume,
    Optional<SpreadResult> spread) {}
