package dev.concat.app.s3;

import dev.concat.activities.storage.S3Clients;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/** The S3 clients one process shares, built for one {@link S3Connection} and closed together. */
public final class SharedS3Clients implements AutoCloseable {
  private final S3Client client;
  private final S3AsyncClient asyncClient;
  private final S3TransferManager transferManager;

  private SharedS3Clients(S3Client client, S3AsyncClient asyncClient) {
    this.client = client;
    this.asyncClient = asyncClient;
    this.transferManager = S3Clients.transferManager(asyncClient);
  }

  public static SharedS3Clients open(S3Connection connection) {
    return new SharedS3Clients(
        S3Clients.sync(connection.settings(), connection.credentials()),
        S3Clients.async(connection.settings(), connection.credentials()));
  }

  public S3Client client() {
    return client;
  }

  public S3TransferManager transferManager() {
    return transferManager;
  }

  @Override
  public void close() {
    transferManager.close();
    asyncClient.close();
    client.close();
  }
}
