package dev.concat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1, for servers that must be told their port up front. */
public final class FreePorts {

  /**
   * {@code count} distinct free ports. The sockets are held until all are chosen so no port is
   * returned twice; another process may still take one before the server binds it, which is rare
   * enough on a test or benchmark machine to accept.
   */
  public static List<Integer> pick(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that accepted nothing cannot lose anything.
        }
      }
    }
  }

  public static int pick() {
    return pick(1).get(0);
  }

  private FreePorts() {}
}
