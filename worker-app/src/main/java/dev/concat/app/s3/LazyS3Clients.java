package dev.concat.app.s3;

/** S3 clients opened on first use, for commands that need S3 only in some cases. */
public final class LazyS3Clients implements AutoCloseable {
  private final S3Connection connection;
  private SharedS3Clients clients;

  public LazyS3Clients(S3Connection connection) {
    this.connection = connection;
  }

  public synchronized SharedS3Clients get() {
    if (clients == null) {
      clients = SharedS3Clients.open(connection);
    }
    return clients;
  }

  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
    }
  }
}
