package dev.concat.activities.testing;

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

/**
 * A TCP forwarder on 127.0.0.1 that carries bytes towards the server at a fixed rate: an injected
 * slow link, so a test can act while an upload to any S3 server is in flight.
 */
public final class SlowLink implements AutoCloseable {
  private final InetSocketAddress target;
  private final long bytesPerSecond;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  private SlowLink(URI target, long bytesPerSecond) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.bytesPerSecond = bytesPerSecond;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "slow-link-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static SlowLink to(URI target, long bytesPerSecond) {
    try {
      return new SlowLink(target, bytesPerSecond);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        open.add(client);
        open.add(server);
        pump(client, server, bytesPerSecond);
        pump(server, client, 0);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, long rate) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                  if (rate > 0) {
                    Thread.sleep(n * 1000L / rate);
                  }
                }
              } catch (IOException | InterruptedException closed) {
                // One side went away: the other is closed below.
              } finally {
                close(from);
                close(to);
              }
            },
            "slow-link-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    open.remove(socket);
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    open.forEach(this::close);
  }
}
