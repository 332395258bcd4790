package dev.concat.contract;

/**
 * A host's answer to {@link HostActivities#claimHost}.
 *
 * @param taskQueue the host-specific task queue the job's remaining activities are scheduled on
 * @param worker the identity of the claiming worker, {@code pid@hostname}
 */
public record HostClaim(String taskQueue, String worker) {}
