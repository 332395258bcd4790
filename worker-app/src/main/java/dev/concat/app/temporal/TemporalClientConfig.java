package dev.concat.app.temporal;

import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a Temporal frontend is and how to reach it: the SDK's environment configuration (the {@code
 * TEMPORAL_*} variables over a profile of {@code temporal.toml}, as the {@code temporal} CLI reads
 * them), with concat's flags over both. Never printed whole: it may hold an API key or a private
 * key.
 */
public final class TemporalClientConfig {
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  public static final String DEFAULT_NAMESPACE = "default";

  private final ClientConfigProfile profile;
  private final String address;
  private final String namespace;

  private TemporalClientConfig(ClientConfigProfile profile) {
    this.profile = profile;
    this.address = blank(profile.getAddress()) ? DEFAULT_ADDRESS : profile.getAddress().strip();
    this.namespace =
        blank(profile.getNamespace()) ? DEFAULT_NAMESPACE : profile.getNamespace().strip();
  }

  /**
   * The configuration {@code environment} and the profile file give, with the given flags (null
   * when not on the command line) over them.
   *
   * @param profileName {@code --profile}; else TEMPORAL_PROFILE; else the file's {@code default}
   */
  public static TemporalClientConfig resolve(
      String addressFlag,
      String namespaceFlag,
      String profileName,
      Map<String, String> environment) {
    ClientConfigProfile loaded = load(profileName, environment);
    ClientConfigProfile.Builder withFlags = loaded.toBuilder();
    if (!blank(addressFlag)) {
      withFlags.setAddress(addressFlag.strip());
    }
    if (!blank(namespaceFlag)) {
      withFlags.setNamespace(namespaceFlag.strip());
    }
    return new TemporalClientConfig(withFlags.build());
  }

  /**
   * Plaintext to {@code address}, namespace default: a server this process or its caller started.
   */
  public static TemporalClientConfig plaintext(String address) {
    return new TemporalClientConfig(ClientConfigProfile.newBuilder().setAddress(address).build());
  }

  private static ClientConfigProfile load(String profileName, Map<String, String> environment) {
    String configFile = environment.get("TEMPORAL_CONFIG_FILE");
    // The SDK treats a missing file as an empty one, which would hide a mistyped path.
    if (!blank(configFile) && !Files.isRegularFile(Path.of(configFile.strip()))) {
      throw new IllegalArgumentException(
          "TEMPORAL_CONFIG_FILE names " + configFile + ", which is not a file");
    }
    var options =
        LoadClientConfigProfileOptions.newBuilder()
            .setEnvOverrides(environment)
            .setConfigFileProfile(blank(profileName) ? null : profileName.strip());
    try {
      return ClientConfigProfile.load(options.build());
    } catch (NullPointerException e) {
      // SDK 1.38 (ClientConfigToml.getClientProfiles) fails so on a file without any [profile.*]
      // table.
      if (!blank(profileName) || !blank(environment.get("TEMPORAL_PROFILE"))) {
        throw new IllegalArgumentException(
            "the Temporal configuration file has no profiles, so not '"
                + (blank(profileName) ? environment.get("TEMPORAL_PROFILE") : profileName)
                + "' (--profile or "
                + "TEMPORAL_PROFILE)",
            e);
      }
      return loadWithoutFile(options);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the Temporal configuration file "
              + (blank(configFile) ? "~/.config/temporalio/temporal.toml" : configFile)
              + ": "
              + e.getMessage(),
          e);
    } catch (IllegalArgumentException e) {
      // "Unable to find profile X in config data"
      throw new IllegalArgumentException(
          e.getMessage()
              + " (--profile or TEMPORAL_PROFILE; profiles are read from "
              + (blank(configFile)
                  ? "~/.config/temporalio/temporal.toml or TEMPORAL_CONFIG_FILE"
                  : configFile)
              + ")",
          e);
    }
  }

  private static ClientConfigProfile loadWithoutFile(
      LoadClientConfigProfileOptions.Builder options) {
    try {
      return ClientConfigProfile.load(options.setDisableFile(true).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }

  /** How the connection is secured, for operators: never the secrets themselves. */
  public String security() {
    String transport = !usesTls() ? "plaintext" : hasClientCertificate() ? "mTLS" : "TLS";
    return blank(profile.getApiKey()) ? transport : transport + " with an API key";
  }

  /** The SDK's rule: TLS when the profile enables it, or by default when an API key is given. */
  boolean usesTls() {
    ClientConfigTLS tls = profile.getTls();
    if (tls != null) {
      return !Boolean.TRUE.equals(tls.isDisabled());
    }
    return !blank(profile.getApiKey());
  }

  boolean hasClientCertificate() {
    ClientConfigTLS tls = profile.getTls();
    return tls != null && (!blank(tls.getClientCertPath()) || present(tls.getClientCertData()));
  }

  /**
   * The service options for this configuration. A certificate or key that is missing, unreadable or
   * unusable is reported here, naming the setting to fix, before any connection is tried.
   */
  WorkflowServiceStubsOptions.Builder serviceOptions() {
    ClientConfigProfile resolved = profile.toBuilder().setAddress(address).build();
    if (usesTls()) {
      checkTlsFiles(resolved.getTls());
    }
    try {
      return WorkflowServiceStubsOptions.newBuilder(resolved.toWorkflowServiceStubsOptions());
    } catch (RuntimeException e) {
      // Netty names what is wrong with the PEM ("does not contain valid certificates", ...);
      // its messages hold no key material.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(
          "the TLS client certificate, key or server CA certificate cannot be used ("
              + "TEMPORAL_TLS_CLIENT_CERT_*, TEMPORAL_TLS_CLIENT_KEY_*, TEMPORAL_TLS_SERVER_CA_CERT_* or the profile's "
              + "tls section): "
              + cause.getMessage(),
          e);
    }
  }

  private static void checkTlsFiles(ClientConfigTLS tls) {
    if (tls == null) {
      return;
    }
    boolean cert = !blank(tls.getClientCertPath()) || present(tls.getClientCertData());
    boolean key = !blank(tls.getClientKeyPath()) || present(tls.getClientKeyData());
    if (cert && !key) {
      throw new IllegalArgumentException(
          "a TLS client certificate is set but not its private key: set "
              + "TEMPORAL_TLS_CLIENT_KEY_PATH (or client_key_path in the profile's tls section)");
    }
    if (key && !cert) {
      throw new IllegalArgumentException(
          "a TLS client key is set but not its certificate: set "
              + "TEMPORAL_TLS_CLIENT_CERT_PATH (or client_cert_path in the profile's tls section)");
    }
    requireReadable(
        tls.getClientCertPath(),
        "TLS client certificate",
        "TEMPORAL_TLS_CLIENT_CERT_PATH",
        "client_cert_path");
    requireReadable(
        tls.getClientKeyPath(),
        "TLS client key",
        "TEMPORAL_TLS_CLIENT_KEY_PATH",
        "client_key_path");
    requireReadable(
        tls.getServerCACertPath(),
        "server CA certificate",
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        "server_ca_cert_path");
  }

  private static void requireReadable(String path, String what, String variable, String tomlKey) {
    if (!blank(path) && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " "
              + path
              + " cannot be read ("
              + variable
              + " or "
              + tomlKey
              + " in the profile's tls section)");
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static boolean present(byte[] data) {
    return data != null && data.length > 0;
  }

  @Override
  public String toString() {
    return address + " namespace " + namespace + " (" + security() + ")";
  }
}
