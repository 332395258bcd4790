package dev.concat.app.it;

import dev.concat.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 whose link can be cut: {@link #cut()} resets every open connection
 * mid-transfer and refuses new ones until {@link #restore()}, on the same port. It is the hard
 * outage a graceful server stop is not: bytes in flight are lost, as when a load balancer or the
 * network fails, while the server behind it keeps its state. It can also slow what the server sends
 * down to a rate per connection ({@link #throttleDownstream}), as a congested or distant store
 * does.
 */
final class CuttableTcpProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private volatile long downstreamBytesPerSecond;
  private ServerSocket listener;

  private CuttableTcpProxy(InetSocketAddress target, int port) {
    this.target = target;
    this.port = port;
  }

  /** Starts forwarding a free port of 127.0.0.1 to {@code target}'s host and port. */
  static CuttableTcpProxy to(URI target) {
    var proxy =
        new CuttableTcpProxy(
            new InetSocketAddress(target.getHost(), target.getPort()), FreePorts.pick());
    proxy.restore();
    return proxy;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * From now on each connection delivers at most this many bytes a second from the server; 0 for no
   * limit.
   */
  void throttleDownstream(long bytesPerSecond) {
    downstreamBytesPerSecond = bytesPerSecond;
  }

  /** Bytes forwarded from the server to clients so far. */
  long downstreamBytes() {
    return downstreamBytes.get();
  }

  /**
   * Resets every connection (RST, no orderly close) and stops accepting: clients get connection
   * refused.
   */
  synchronized void cut() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
    }
    for (Socket socket : open) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException alreadyClosed) {
        // Closing it below is all that is left to do.
      }
      closeQuietly(socket);
    }
    open.clear();
  }

  /** Accepts connections again on the same port. */
  synchronized void restore() {
    if (listener != null) {
      return;
    }
    try {
      var socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      listener = socket;
      Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-accept-" + port);
      acceptor.setDaemon(true);
      acceptor.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      Socket server = new Socket();
      try {
        server.connect(target, 5000);
      } catch (IOException unreachable) {
        closeQuietly(client);
        closeQuietly(server);
        continue;
      }
      synchronized (this) {
        if (listener != socket) {
          // Cut while this connection was being set up: it must not outlive the cut.
          closeQuietly(client);
          closeQuietly(server);
          return;
        }
        open.add(client);
        open.add(server);
      }
      pump(client, server, false);
      pump(server, client, true);
    }
  }

  /** Copies one direction until either side closes, then closes both. */
  private void pump(Socket from, Socket to, boolean downstream) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              long started = System.nanoTime();
              long sent = 0;
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer, 0, chunk(downstream, buffer.length))) >= 0; ) {
                  out.write(buffer, 0, n);
                  out.flush();
                  if (downstream) {
                    downstreamBytes.addAndGet(n);
                    sent += n;
                    pace(sent, started);
                  }
                }
              } catch (IOException | InterruptedException closed) {
                // Either side went away, or the link was cut.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "tcp-proxy-pump-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** Small reads while throttled, so the bytes trickle rather than arrive in bursts. */
  private int chunk(boolean downstream, int max) {
    long rate = downstreamBytesPerSecond;
    return downstream && rate > 0 ? (int) Math.max(1, Math.min(max, rate / 10)) : max;
  }

  /** Sleeps until {@code sent} bytes since {@code startedNanos} are within the throttle's rate. */
  private void pace(long sent, long startedNanos) throws InterruptedException {
    long rate = downstreamBytesPerSecond;
    if (rate <= 0) {
      return;
    }
    long dueNanos = startedNanos + sent * 1_000_000_000L / rate;
    long wait = dueNanos - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Already closed: nothing is lost.
    }
  }

  @Override
  public void close() {
    cut();
  }
}
