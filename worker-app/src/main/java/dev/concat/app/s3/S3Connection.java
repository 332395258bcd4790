package dev.concat.app.s3;

import dev.concat.activities.storage.S3Settings;
import dev.concat.app.config.S3Options;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Resolved S3 settings.
 *
 * @param endpoint the S3 API endpoint, or null for AWS S3
 * @param region the signing region
 * @param pathStyle whether buckets go in the path rather than the host name
 * @param checksumWhenRequired whether request checksums are sent only where the API requires them
 * @param devCredentials whether to sign with the dev stack's fixed key instead of the AWS default
 *     chain
 */
public record S3Connection(
    URI endpoint,
    String region,
    boolean pathStyle,
    boolean checksumWhenRequired,
    boolean devCredentials) {
  /** The dev stack's key pair. Dev-only constants, so printing them is fine. */
  public static final String DEV_ACCESS_KEY = "concat";

  public static final String DEV_SECRET_KEY = "concat-secret";

  /** The dev stack's endpoint, where `concat dev` serves S3. */
  private static final URI DEV_ENDPOINT = URI.create(S3Options.DEV_ENDPOINT);

  /**
   * Any of these says credentials come from the AWS default chain: keys, a profile, a web identity,
   * a container role.
   */
  private static final List<String> AWS_CREDENTIAL_SOURCES =
      List.of(
          "AWS_ACCESS_KEY_ID",
          "AWS_PROFILE",
          "AWS_WEB_IDENTITY_TOKEN_FILE",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI");

  /**
   * The dev key is used only for the dev stack's own endpoint ({@value S3Options#DEV_ENDPOINT},
   * also what an unset endpoint means) when no AWS credential source is configured in the
   * environment; any other endpoint, loopback or not, gets the AWS default chain, so a local proxy
   * or tunnel signs with the container's role or profile and never with a key everybody knows.
   */
  public static S3Connection resolve(S3Options options, Map<String, String> environment) {
    String text = options.endpoint() == null ? "" : options.endpoint().strip();
    URI endpoint =
        text.isEmpty() || text.equalsIgnoreCase(S3Options.AWS) ? null : parseEndpoint(text);
    boolean pathStyle = options.pathStyle() != null ? options.pathStyle() : endpoint != null;
    boolean awsConfigured = AWS_CREDENTIAL_SOURCES.stream().anyMatch(environment::containsKey);
    String region =
        options.region() != null && !options.region().isBlank()
            ? options.region().strip()
            : AwsRegion.resolve(environment);
    return new S3Connection(
        endpoint,
        region,
        pathStyle,
        checksumWhenRequired(options.checksums(), endpoint),
        isDevStack(endpoint) && !awsConfigured);
  }

  /**
   * S3-compatible stores (S3Proxy, older MinIO, Cloudflare R2) mishandle the SDK's default request
   * checksums, so with a custom endpoint they are sent only where an operation requires them,
   * unless the operator says otherwise.
   */
  private static boolean checksumWhenRequired(String setting, URI endpoint) {
    String text = setting == null ? "" : setting.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (text) {
      case "" -> endpoint != null;
      case "when-required" -> true;
      case "when-supported" -> false;
      default ->
          throw new IllegalArgumentException(
              "S3 checksums '" + setting + "' must be 'when-required' or 'when-supported'");
    };
  }

  /** A connection to an embedded server that this process started. */
  public static S3Connection dev(URI endpoint) {
    return new S3Connection(endpoint, "us-east-1", true, true, true);
  }

  /** The activities' view of these settings. */
  public S3Settings settings() {
    return new S3Settings(
        endpoint == null ? null : endpoint.toString(), region, pathStyle, checksumWhenRequired);
  }

  public AwsCredentialsProvider credentials() {
    return devCredentials
        ? StaticCredentialsProvider.create(
            AwsBasicCredentials.create(DEV_ACCESS_KEY, DEV_SECRET_KEY))
        : DefaultCredentialsProvider.builder().build();
  }

  /**
   * Whether the endpoint is the dev stack's, where jobs may read and write its bucket without
   * further settings.
   */
  public boolean isDevStackDefault() {
    return isDevStack(endpoint);
  }

  private static boolean isDevStack(URI endpoint) {
    return endpoint != null
        && DEV_ENDPOINT.getHost().equals(endpoint.getHost())
        && DEV_ENDPOINT.getPort() == endpoint.getPort()
        && "http".equals(endpoint.getScheme())
        && (endpoint.getPath() == null
            || endpoint.getPath().isEmpty()
            || endpoint.getPath().equals("/"));
  }

  public String describe() {
    return (endpoint == null ? "AWS S3" : endpoint.toString())
        + " (region "
        + region
        + (pathStyle ? ", path style" : "")
        + (checksumWhenRequired ? ", checksums when required" : "")
        + (devCredentials ? ", dev credentials" : "")
        + ")";
  }

  private static URI parseEndpoint(String text) {
    URI uri = URI.create(text);
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException(
          "S3 endpoint '" + text + "' must be an http(s)://host[:port] URL, or 'aws' for AWS S3");
    }
    return uri;
  }
}
