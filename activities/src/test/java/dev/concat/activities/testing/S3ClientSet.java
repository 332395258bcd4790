package dev.concat.activities.testing;

import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Clients for an endpoint other than a server's own address, such as a {@link SlowLink} in front of
 * it.
 */
public final class S3ClientSet implements S3Endpoint {
  public static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));

  private final String name;
  private final URI endpoint;
  private final S3Client s3;
  private final S3AsyncClient async;
  private final S3TransferManager transfer;

  public S3ClientSet(String name, URI endpoint, S3Client s3, S3AsyncClient async) {
    this.name = name;
    this.endpoint = endpoint;
    this.s3 = s3;
    this.async = async;
    this.transfer = S3Clients.transferManager(async);
  }

  /** Clients built by {@link S3Clients}, as the worker builds them, for {@code endpoint}. */
  public static S3ClientSet at(String name, URI endpoint) {
    var settings =
        new S3Settings(
            endpoint.toString(), "us-east-1", true, true, S3Settings.DEFAULT_IDLE_TIMEOUT, 3);
    return new S3ClientSet(
        name,
        endpoint,
        S3Clients.sync(settings, CREDENTIALS),
        S3Clients.async(settings, CREDENTIALS));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public S3Client s3() {
    return s3;
  }

  @Override
  public S3TransferManager transferManager() {
    return transfer;
  }

  @Override
  public void close() {
    transfer.close();
    async.close();
    s3.close();
  }
}
