package dev.concat.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who this worker is and which host queue it owns.
 *
 * @param hostname the machine's name
 * @param pid this process's id
 */
public record HostIdentity(String hostname, long pid) {

  public static HostIdentity current() {
    return new HostIdentity(localHostname(), ProcessHandle.current().pid());
  }

  /**
   * {@code pid@hostname}: what the status query shows as the worker, and what an operator can kill.
   */
  public String workerIdentity() {
    return pid + "@" + hostname;
  }

  /**
   * The task queue only this host polls. It is named by the work directory, not the process, so a
   * restarted worker with the same directory owns the same queue (and finds its downloads), while
   * two workers with different directories on one machine are two hosts.
   */
  public String hostTaskQueue(String taskQueue, Path workDir) {
    return taskQueue
        + "-host-"
        + hostname
        + "-"
        + shortHash(workDir.toAbsolutePath().normalize().toString());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
