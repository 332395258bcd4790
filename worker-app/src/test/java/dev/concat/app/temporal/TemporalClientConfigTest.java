package dev.concat.app.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How flags, TEMPORAL_* variables and temporal.toml profiles combine, and what a mistake says. */
class TemporalClientConfigTest {
  private static final String API_KEY = "sk-test-0123456789";

  @TempDir Path temp;

  private Map<String, String> withFile(String toml, String... variables) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put(
        "TEMPORAL_CONFIG_FILE", Files.writeString(temp.resolve("temporal.toml"), toml).toString());
    for (int i = 0; i < variables.length; i += 2) {
      env.put(variables[i], variables[i + 1]);
    }
    return env;
  }

  private static final String PROFILES =
      """
      [profile.default]
      address = "default.example:7233"
      namespace = "dev"

      [profile.cloud]
      address = "ns.a1b2c.tmprl.cloud:7233"
      namespace = "ns.a1b2c"
      api_key = "%s"
      """
          .formatted(API_KEY);

  @Test
  void theDefaultProfileAppliesWithoutBeingNamed() throws IOException {
    TemporalClientConfig config =
        TemporalClientConfig.resolve(null, null, null, withFile(PROFILES));

    assertEquals("default.example:7233", config.address());
    assertEquals("dev", config.namespace());
    assertEquals("plaintext", config.security());
  }

  @Test
  void aNamedProfileWithAnApiKeyUsesTls() throws IOException {
    TemporalClientConfig byFlag =
        TemporalClientConfig.resolve(null, null, "cloud", withFile(PROFILES));
    TemporalClientConfig byVariable =
        TemporalClientConfig.resolve(
            null, null, null, withFile(PROFILES, "TEMPORAL_PROFILE", "cloud"));

    assertEquals("ns.a1b2c.tmprl.cloud:7233", byFlag.address());
    assertEquals("ns.a1b2c", byFlag.namespace());
    assertEquals("TLS with an API key", byFlag.security());
    assertEquals(byFlag.address(), byVariable.address());
    assertFalse(byFlag.toString().contains(API_KEY), byFlag::toString);
  }

  @Test
  void variablesOverTheProfileAndFlagsOverBoth() throws IOException {
    Map<String, String> env =
        withFile(PROFILES, "TEMPORAL_ADDRESS", "env.example:7233", "TEMPORAL_NAMESPACE", "env-ns");

    TemporalClientConfig fromEnv = TemporalClientConfig.resolve(null, null, "cloud", env);
    TemporalClientConfig fromFlags =
        TemporalClientConfig.resolve("flag.example:7233", "flag-ns", "cloud", env);

    assertEquals("env.example:7233", fromEnv.address());
    assertEquals("env-ns", fromEnv.namespace());
    assertEquals("flag.example:7233", fromFlags.address());
    assertEquals("flag-ns", fromFlags.namespace());
    assertEquals("TLS with an API key", fromFlags.security(), "the profile's API key stays");
  }

  @Test
  void withNothingConfiguredItIsTheLocalDevServer() throws IOException {
    TemporalClientConfig config =
        TemporalClientConfig.resolve(null, null, null, withFile("# no profiles\n"));

    assertEquals("127.0.0.1:7233", config.address());
    assertEquals("default", config.namespace());
    assertEquals("plaintext", config.security());
  }

  @Test
  void tlsVariablesDescribeTheirKind() throws IOException {
    Path cert = Files.writeString(temp.resolve("client.pem"), "x");
    Path key = Files.writeString(temp.resolve("client.key"), "x");

    assertEquals(
        "TLS",
        TemporalClientConfig.resolve(null, null, null, withFile("", "TEMPORAL_TLS", "true"))
            .security());
    assertEquals(
        "mTLS",
        TemporalClientConfig.resolve(
                null,
                null,
                null,
                withFile(
                    "",
                    "TEMPORAL_TLS_CLIENT_CERT_PATH",
                    cert.toString(),
                    "TEMPORAL_TLS_CLIENT_KEY_PATH",
                    key.toString()))
            .security());
    assertEquals(
        "plaintext with an API key",
        TemporalClientConfig.resolve(
                null,
                null,
                null,
                withFile("", "TEMPORAL_API_KEY", API_KEY, "TEMPORAL_TLS", "false"))
            .security());
  }

  @Test
  void aMissingProfileOrFileIsNamed() throws IOException {
    var noProfile =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalClientConfig.resolve(null, null, "staging", withFile(PROFILES)));
    Map<String, String> missingFile =
        Map.of("TEMPORAL_CONFIG_FILE", temp.resolve("nope.toml").toString());
    var noFile =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalClientConfig.resolve(null, null, null, missingFile));

    assertTrue(noProfile.getMessage().contains("staging"), noProfile.getMessage());
    assertTrue(noProfile.getMessage().contains("--profile"), noProfile.getMessage());
    assertTrue(noFile.getMessage().contains("TEMPORAL_CONFIG_FILE"), noFile.getMessage());
  }

  @Test
  void aCertificateWithoutItsKeyOrAnUnreadableFileNamesTheSetting() throws IOException {
    Path cert = Files.writeString(temp.resolve("client.pem"), "x");
    TemporalClientConfig noKey =
        TemporalClientConfig.resolve(
            null, null, null, withFile("", "TEMPORAL_TLS_CLIENT_CERT_PATH", cert.toString()));
    TemporalClientConfig missingKey =
        TemporalClientConfig.resolve(
            null,
            null,
            null,
            withFile(
                "",
                "TEMPORAL_TLS_CLIENT_CERT_PATH",
                cert.toString(),
                "TEMPORAL_TLS_CLIENT_KEY_PATH",
                temp.resolve("gone.key").toString()));

    var noKeyError = assertThrows(IllegalArgumentException.class, noKey::serviceOptions);
    var missingKeyError = assertThrows(IllegalArgumentException.class, missingKey::serviceOptions);

    assertTrue(
        noKeyError.getMessage().contains("TEMPORAL_TLS_CLIENT_KEY_PATH"), noKeyError.getMessage());
    assertTrue(missingKeyError.getMessage().contains("gone.key"), missingKeyError.getMessage());
    assertTrue(
        missingKeyError.getMessage().contains("TEMPORAL_TLS_CLIENT_KEY_PATH"),
        missingKeyError.getMessage());
  }

  @Test
  void aFileThatIsNotPemIsReportedWithoutItsContent() throws IOException {
    Path cert = Files.writeString(temp.resolve("client.pem"), "not a certificate");
    Path key = Files.writeString(temp.resolve("client.key"), "SECRET-KEY-MATERIAL");
    TemporalClientConfig config =
        TemporalClientConfig.resolve(
            null,
            null,
            null,
            withFile(
                "",
                "TEMPORAL_TLS_CLIENT_CERT_PATH",
                cert.toString(),
                "TEMPORAL_TLS_CLIENT_KEY_PATH",
                key.toString()));

    var error = assertThrows(IllegalArgumentException.class, config::serviceOptions);

    assertTrue(error.getMessage().contains("TEMPORAL_TLS_CLIENT_CERT_"), error.getMessage());
    assertFalse(error.getMessage().contains("SECRET-KEY-MATERIAL"), error.getMessage());
  }
}
