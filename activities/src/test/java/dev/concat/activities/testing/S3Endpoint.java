package dev.concat.activities.testing;

import java.net.URI;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/** A real S3 API over HTTP that a test talks to, with clients built as the worker builds them. */
public interface S3Endpoint extends AutoCloseable {
  /** A short name for reports and test names: s3proxy, moto, minio. */
  String name();

  URI endpoint();

  S3Client s3();

  S3TransferManager transferManager();

  @Override
  void close();
}
