package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostIdentityTest {
  private final HostIdentity host = new HostIdentity("box7", 4242);

  @Test
  void identityIsPidAtHostname() {
    assertEquals("4242@box7", host.workerIdentity());
  }

  @Test
  void hostQueueIsNamedByTaskQueueHostnameAndWorkDirHash() {
    String queue = host.hostTaskQueue("concat", Path.of("/srv/concat/work"));

    assertTrue(queue.matches("concat-host-box7-[0-9a-f]{8}"), queue);
  }

  @Test
  void aRestartedWorkerWithTheSameWorkDirOwnsTheSameQueue() {
    HostIdentity restarted = new HostIdentity("box7", 9999);

    assertEquals(
        host.hostTaskQueue("concat", Path.of("/srv/concat/work")),
        restarted.hostTaskQueue("concat", Path.of("/srv/concat/./work/")));
  }

  @Test
  void aRelativeWorkDirIsTheSameHostAsItsAbsolutePath() {
    Path relative = Path.of(".concat", "work");

    assertEquals(
        host.hostTaskQueue("concat", relative),
        host.hostTaskQueue("concat", relative.toAbsolutePath()));
  }

  @Test
  void twoWorkDirsOnOneMachineAreTwoHosts() {
    assertNotEquals(
        host.hostTaskQueue("concat", Path.of("/srv/a")),
        host.hostTaskQueue("concat", Path.of("/srv/b")));
  }
}
