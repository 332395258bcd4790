package dev.concat.app.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.config.EnvironmentDefaults;
import dev.concat.app.config.S3Options;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3ConnectionTest {

  @Test
  void theDefaultsReachTheDevStackWithItsKey() {
    S3Connection connection =
        S3Connection.resolve(new S3Options(S3Options.DEV_ENDPOINT, "us-east-1", null), Map.of());

    assertEquals(URI.create("http://127.0.0.1:9000"), connection.endpoint());
    assertTrue(connection.pathStyle());
    assertTrue(connection.devCredentials());
    assertTrue(connection.settings().checksumWhenRequired());
    var key = ((StaticCredentialsProvider) connection.credentials()).resolveCredentials();
    assertEquals(S3Connection.DEV_ACCESS_KEY, key.accessKeyId());
  }

  @Test
  void configuredAwsCredentialsAreNeverReplacedByTheDevKey() {
    S3Options options = new S3Options(S3Options.DEV_ENDPOINT, "us-east-1", null);

    assertFalse(
        S3Connection.resolve(options, Map.of("AWS_ACCESS_KEY_ID", "AKIA")).devCredentials());
    assertFalse(S3Connection.resolve(options, Map.of("AWS_PROFILE", "minio")).devCredentials());
  }

  @Test
  void anyOtherLoopbackEndpointGetsTheDefaultChainNotTheDevKey() {
    // A local proxy or tunnel must sign with the container's role or profile, not a key everybody
    // knows.
    for (String endpoint :
        List.of(
            "http://127.0.0.1:9100",
            "http://localhost:9000",
            "http://[::1]:9000",
            "https://127.0.0.1:9000")) {
      S3Connection connection =
          S3Connection.resolve(new S3Options(endpoint, "us-east-1", null), Map.of());
      assertFalse(connection.devCredentials(), endpoint);
      assertFalse(connection.isDevStackDefault(), endpoint);
    }
  }

  @Test
  void aContainerRoleOrWebIdentityKeepsTheDevKeyAwayEvenFromTheDevEndpoint() {
    S3Options options = new S3Options(S3Options.DEV_ENDPOINT, "us-east-1", null);

    assertFalse(
        S3Connection.resolve(options, Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds"))
            .devCredentials());
    assertFalse(
        S3Connection.resolve(options, Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"))
            .devCredentials());
  }

  @Test
  void awsMeansNoEndpointVirtualHostedBucketsAndTheDefaultChain() {
    S3Connection connection =
        S3Connection.resolve(new S3Options("aws", "eu-west-1", null), Map.of());

    assertNull(connection.endpoint());
    assertNull(connection.settings().endpoint());
    assertFalse(connection.pathStyle());
    assertFalse(connection.devCredentials());
    assertFalse(connection.settings().checksumWhenRequired());
    assertEquals("eu-west-1", connection.settings().region());
  }

  @Test
  void aRemoteEndpointUsesTheDefaultChainAndAnExplicitPathStyle() {
    S3Connection connection =
        S3Connection.resolve(
            new S3Options("https://acct.r2.cloudflarestorage.com", "auto", false), Map.of());

    assertFalse(connection.devCredentials());
    assertFalse(connection.pathStyle());
    assertEquals("https://acct.r2.cloudflarestorage.com", connection.settings().endpoint());
  }

  @Test
  void checksumsAreOnlyWhenRequiredForCustomEndpointsUnlessTheOperatorSaysOtherwise() {
    String r2 = "https://acct.r2.cloudflarestorage.com";

    assertTrue(resolve(Map.of(), "--s3-endpoint", r2).settings().checksumWhenRequired());
    assertFalse(
        resolve(Map.of("S3_CHECKSUMS", "when-supported"), "--s3-endpoint", r2)
            .settings()
            .checksumWhenRequired());
    assertTrue(
        resolve(Map.of("S3_CHECKSUMS", "WHEN-REQUIRED"), "--s3-endpoint", "aws")
            .settings()
            .checksumWhenRequired());
    assertFalse(resolve(Map.of(), "--s3-endpoint", "aws").settings().checksumWhenRequired());
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> resolve(Map.of(), "--s3-endpoint", r2, "--s3-checksums", "never"));
    assertTrue(error.getMessage().contains("'never'"), error.getMessage());
  }

  @Test
  void theRegionComesFromTheFlagThenS3RegionThenTheAwsEnvironmentThenUsEast1(@TempDir Path home)
      throws Exception {
    Path config =
        Files.writeString(
            home.resolve("config"),
            "[default]\nregion = eu-north-1\n[profile media]\nregion = ap-southeast-2\n");
    Map<String, String> profileOnly = Map.of("AWS_CONFIG_FILE", config.toString());

    assertEquals(
        "us-east-1", resolve(Map.of("AWS_CONFIG_FILE", home.resolve("none").toString())).region());
    assertEquals("eu-north-1", resolve(profileOnly).region());
    assertEquals("ap-southeast-2", resolve(with(profileOnly, "AWS_PROFILE", "media")).region());
    assertEquals(
        "ca-central-1", resolve(with(profileOnly, "AWS_DEFAULT_REGION", "ca-central-1")).region());
    assertEquals(
        "eu-west-3",
        resolve(
                with(
                    with(profileOnly, "AWS_DEFAULT_REGION", "ca-central-1"),
                    "AWS_REGION",
                    "eu-west-3"))
            .region());
    assertEquals("auto", resolve(with(profileOnly, "S3_REGION", "auto")).region());
    assertEquals(
        "us-west-2",
        resolve(with(profileOnly, "S3_REGION", "auto"), "--s3-region", "us-west-2").region());
  }

  private static Map<String, String> with(
      Map<String, String> environment, String name, String value) {
    Map<String, String> copy = new HashMap<>(environment);
    copy.put(name, value);
    return copy;
  }

  private static S3Connection resolve(Map<String, String> environment, String... args) {
    S3Options options = new S3Options();
    new CommandLine(options)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(args);
    return S3Connection.resolve(options, environment);
  }

  @Test
  void anEndpointThatIsNotAUrlIsRejected() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> S3Connection.resolve(new S3Options("minio:9000", "us-east-1", null), Map.of()));

    assertTrue(error.getMessage().contains("'minio:9000'"), error.getMessage());
  }
}
