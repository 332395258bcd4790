package dev.concat.workflows;

import dev.concat.contract.HostActivities;
import dev.concat.contract.HostClaim;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Hands out the given hosts in turn, as successive workers would claim a job. */
final class RotatingHostActivities implements HostActivities {
  private final List<String> hosts;
  private final AtomicInteger next = new AtomicInteger();

  RotatingHostActivities(List<String> hosts) {
    this.hosts = hosts;
  }

  @Override
  public HostClaim claimHost(String jobId) {
    String host = hosts.get(next.getAndIncrement() % hosts.size());
    return new HostClaim(host, "100@" + host);
  }
}
