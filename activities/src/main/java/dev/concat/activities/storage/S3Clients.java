package dev.concat.activities.storage;

import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Builds the S3 clients the activities use. Every timeout is set, so a lost connection to the
 * object store fails an attempt with a clear error instead of hanging it.
 */
public final class S3Clients {
  private static final Logger log = LoggerFactory.getLogger(S3Clients.class);

  /** An endpoint that does not accept a TCP connection in this time is down or unreachable. */
  private static final Duration CONNECT = Duration.ofSeconds(10);

  /** The first retry's delay; it doubles up to {@link #MAX_BACKOFF}. */
  private static final Duration BASE_BACKOFF = Duration.ofMillis(500);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** Waiting this long for a pooled connection means the pool is wedged. */
  private static final Duration ACQUIRE = Duration.ofSeconds(60);

  /** One HTTP attempt, body included: a 300 MB segment at 1 MB/s still fits. */
  private static final Duration ATTEMPT = Duration.ofMinutes(5);

  /** One API call with the SDK's retries; beyond it the activity's own retry policy takes over. */
  private static final Duration CALL = Duration.ofMinutes(12);

  /** The synchronous client (segment GETs), with credentials from the AWS default chain. */
  public static S3Client sync(S3Settings settings) {
    return sync(settings, DefaultCredentialsProvider.builder().build());
  }

  public static S3Client sync(S3Settings settings, AwsCredentialsProvider credentials) {
    var http =
        Apache5HttpClient.builder()
            .connectionTimeout(min(CONNECT, settings.idleTimeout()))
            .socketTimeout(settings.idleTimeout())
            .connectionAcquisitionTimeout(ACQUIRE);
    return configure(S3Client.builder().httpClientBuilder(http), settings, credentials).build();
  }

  /** The asynchronous client with multipart transfers, for {@link #transferManager}. */
  public static S3AsyncClient async(S3Settings settings) {
    return async(settings, DefaultCredentialsProvider.builder().build());
  }

  public static S3AsyncClient async(S3Settings settings, AwsCredentialsProvider credentials) {
    var http =
        NettyNioAsyncHttpClient.builder()
            .connectionTimeout(min(CONNECT, settings.idleTimeout()))
            .readTimeout(settings.idleTimeout())
            .writeTimeout(settings.idleTimeout())
            .connectionAcquisitionTimeout(ACQUIRE);
    return configure(S3AsyncClient.builder().httpClientBuilder(http), settings, credentials)
        .multipartEnabled(true)
        .build();
  }

  public static S3TransferManager transferManager(S3AsyncClient client) {
    return S3TransferManager.builder().s3Client(client).build();
  }

  private static <B extends S3BaseClientBuilder<B, ?>> B configure(
      B builder, S3Settings settings, AwsCredentialsProvider credentials) {
    builder
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        // No "Expect: 100-continue" on uploads: moto's server answers it with two interim
        // responses and the Netty client then takes "100" for the final status, failing an upload
        // the store did keep. Without it a refused request costs at most one part's bytes (8 MiB).
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(ATTEMPT)
                .apiCallTimeout(CALL)
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.attempts())
                        // Half jitter: full jitter may wait almost nothing and spend all tries in a
                        // second.
                        .backoffStrategy(
                            BackoffStrategy.exponentialDelayHalfJitter(BASE_BACKOFF, MAX_BACKOFF))
                        // The circuit breaker stops retrying after a burst of failures, which is
                        // exactly
                        // an outage we want to ride out; the attempts and the call timeout bound
                        // it.
                        .circuitBreakerEnabled(false)
                        .build())
                .build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    if (settings.checksumWhenRequired()) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    // Only the shape of the connection: credentials never reach a log line.
    log.info(
        "S3 client: endpoint={} region={} pathStyle={} checksumWhenRequired={} idleTimeout={}s attempts={}",
        settings.endpoint() == null ? "aws" : settings.endpoint(),
        settings.region(),
        settings.pathStyle(),
        settings.checksumWhenRequired(),
        settings.idleTimeout().toSeconds(),
        settings.attempts());
    return builder;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private S3Clients() {}
}
