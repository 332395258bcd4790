package dev.concat.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.concat.activities.testing.SampleAudio;
import dev.concat.app.ConcatCli;
import dev.concat.app.temporal.TemporalClientConfig;
import dev.concat.app.temporal.TemporalConnection;
import dev.concat.testkit.FreePorts;
import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker and the CLI against a real secured endpoint: `temporal server start-dev` behind Debian's
 * nginx, once requiring a client certificate (mTLS) and once an API key over TLS, configured only
 * by the TEMPORAL_* variables an operator sets. Without the certificate or the key every command
 * fails within 10 s, saying what to set. Prints the job's time through each path next to plaintext.
 */
@Timeout(300)
class SecuredTemporalIT {
  /**
   * The bound for reporting a wrong certificate, a missing key or an unreachable TLS
   * endpoint.
   */
  private static final Duration FAIL_WITHIN = Duration.ofSeconds(10);

  private static final String API_KEY = "concat-it-" + UUID.randomUUID();

  @RegisterExtension static final RealStack stack = new RealStack();
  private static TestCertificates certs;
  private static NginxGrpcProxy nginx;

  @TempDir Path temp;

  @BeforeAll
  static void startProxy() throws Exception {
    Path dir =
        ItPaths.target().resolve("it-tls").resolve(UUID.randomUUID().toString().substring(0, 8));
    certs = TestCertificates.generate(dir.resolve("certs"));
    nginx = NginxGrpcProxy.start(dir.resolve("nginx"), stack.temporal().address(), certs, API_KEY);
  }

  @AfterAll
  static void stopProxy() {
    if (nginx != null) {
      nginx.close();
    }
  }

  private static Map<String, String> mtls() {
    return Map.of(
        "TEMPORAL_ADDRESS",
        nginx.mtlsAddress(),
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        certs.caCert().toString(),
        "TEMPORAL_TLS_CLIENT_CERT_PATH",
        certs.clientCert().toString(),
        "TEMPORAL_TLS_CLIENT_KEY_PATH",
        certs.clientKey().toString());
  }

  private static Map<String, String> apiKey() {
    return Map.of(
        "TEMPORAL_ADDRESS",
        nginx.apiKeyAddress(),
        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
        certs.caCert().toString(),
        "TEMPORAL_API_KEY",
        API_KEY);
  }

  @Test
  void aJobCompletesThroughMutualTls() throws Exception {
    completeAJob("mtls", mtls(), "(mTLS)");
  }

  @Test
  void aJobCompletesThroughAnApiKey() throws Exception {
    completeAJob("api-key", apiKey(), "(TLS with an API key)");
  }

  @Test
  void aJobCompletesInPlaintextForComparison() throws Exception {
    completeAJob("plain", Map.of(), "(plaintext)");
  }

  /** A worker and `concat submit --wait` and `concat status` through one path; prints the times. */
  private void completeAJob(String path, Map<String, String> connection, String security)
      throws Exception {
    AudioSet audio = AudioSet.sines(4, 2.0);
    String jobId = "secured-" + path;
    WorkerJvm worker = stack.startWorker("A", connection);
    assertTrue(worker.logText().contains(security), worker::logText);

    List<String> submit =
        new ArrayList<>(
            List.of(
                "submit",
                "--job-id",
                jobId,
                "--output",
                S3Fixture.uri("out/" + jobId + ".mp3"),
                "--wait"));
    submit.addAll(audio.upload(stack.s3(), jobId));
    long started = System.nanoTime();
    CliProcess submitted = cli(connection, submit);
    Duration cliTime = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(0, submitted.exitCode(), submitted::transcript);
    assertTrue(submitted.out().contains("COMPLETED"), submitted::transcript);
    CliProcess status = cli(connection, List.of("status", jobId));
    assertEquals(0, status.exitCode(), status::transcript);
    assertTrue(status.out().contains("COMPLETED"), status::transcript);

    Path file = stack.s3().download("out/" + jobId + ".mp3", temp.resolve("out.mp3"));
    assertEquals(
        audio.totalSeconds(),
        SampleAudio.decodedSeconds(file),
        0.05,
        "decoded duration of the output");
    System.out.printf(
        Locale.ROOT,
        "SecuredTemporalIT: %s job %s: %d ms from start to close on the server, "
            + "%d ms for `concat submit --wait` (JVM start included), %.1f ms median describe round trip%n",
        path,
        jobId,
        serverSideMillis(jobId),
        cliTime.toMillis(),
        medianDescribeMillis(connection, jobId));
  }

  /**
   * The connection's own cost, apart from the job's: the median of a few describe calls through the
   * path from this JVM, each of which must see the job completed.
   */
  private static double medianDescribeMillis(Map<String, String> connection, String jobId) {
    Map<String, String> env = new HashMap<>(stack.environment().variables());
    env.putAll(connection);
    try (TemporalConnection client =
        TemporalConnection.connect(TemporalClientConfig.resolve(null, null, null, env))) {
      double[] millis = new double[21];
      for (int i = 0; i < millis.length; i++) {
        long started = System.nanoTime();
        var status = client.client().newUntypedWorkflowStub(jobId).describe().getStatus();
        millis[i] = (System.nanoTime() - started) / 1e6;
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status);
      }
      Arrays.sort(millis);
      return millis[millis.length / 2];
    }
  }

  private static long serverSideMillis(String jobId) {
    WorkflowExecutionInfo info =
        stack
            .temporal()
            .client()
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(TemporalDevServer.NAMESPACE)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(jobId))
                    .build())
            .getWorkflowExecutionInfo();
    return Duration.between(toInstant(info.getStartTime()), toInstant(info.getCloseTime()))
        .toMillis();
  }

  private static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  @Test
  void withoutTheRightCertificateOrKeyCommandsFailQuicklySayingWhatToSet() {
    Map<String, String> noClientCert =
        Map.of(
            "TEMPORAL_ADDRESS",
            nginx.mtlsAddress(),
            "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
            certs.caCert().toString());
    assertFailsSaying(noClientCert, "requires a TLS client certificate");

    Map<String, String> strangerCert = new HashMap<>(mtls());
    strangerCert.put("TEMPORAL_TLS_CLIENT_CERT_PATH", certs.strangerCert().toString());
    strangerCert.put("TEMPORAL_TLS_CLIENT_KEY_PATH", certs.strangerKey().toString());
    assertFailsSaying(strangerCert, "refused the TLS client certificate");

    Map<String, String> missingKey = new HashMap<>(mtls());
    missingKey.put("TEMPORAL_TLS_CLIENT_KEY_PATH", temp.resolve("missing.key").toString());
    assertFailsSaying(missingKey, "missing.key cannot be read (TEMPORAL_TLS_CLIENT_KEY_PATH");

    Map<String, String> untrustedServer = new HashMap<>(mtls());
    untrustedServer.remove("TEMPORAL_TLS_SERVER_CA_CERT_PATH");
    assertFailsSaying(untrustedServer, "TEMPORAL_TLS_SERVER_CA_CERT_PATH");

    Map<String, String> wrongKey = new HashMap<>(apiKey());
    wrongKey.put("TEMPORAL_API_KEY", "not-the-key");
    assertFailsSaying(wrongKey, "check TEMPORAL_API_KEY");

    Map<String, String> noKey = new HashMap<>(apiKey());
    noKey.remove("TEMPORAL_API_KEY");
    noKey.put("TEMPORAL_TLS", "true");
    assertFailsSaying(noKey, "check TEMPORAL_API_KEY");

    assertFailsSaying(Map.of("TEMPORAL_ADDRESS", nginx.mtlsAddress()), "expects TLS");
    Map<String, String> tlsToNothing = new HashMap<>(mtls());
    tlsToNothing.put("TEMPORAL_ADDRESS", "127.0.0.1:" + FreePorts.pick());
    assertFailsSaying(tlsToNothing, "is the address right and the server up");
  }

  /**
   * The README's temporal.toml: profiles with a tls section and with an API key, chosen by
   * --profile.
   */
  @Test
  void profilesOfTheConfigFileReachTheSecuredServer() throws IOException {
    Path file =
        Files.writeString(
            temp.resolve("temporal.toml"),
            """
        [profile.onprem]
        address = "%s"
        namespace = "%s"
        [profile.onprem.tls]
        client_cert_path = "%s"
        client_key_path = "%s"
        server_ca_cert_path = "%s"

        [profile.cloud]
        address = "%s"
        namespace = "%s"
        api_key = "%s"
        [profile.cloud.tls]
        server_ca_cert_path = "%s"
        """
                .formatted(
                    nginx.mtlsAddress(),
                    TemporalDevServer.NAMESPACE,
                    certs.clientCert(),
                    certs.clientKey(),
                    certs.caCert(),
                    nginx.apiKeyAddress(),
                    TemporalDevServer.NAMESPACE,
                    API_KEY,
                    certs.caCert()));
    Map<String, String> env = new HashMap<>(stack.environment().variables());
    // Only the file says where and how: none of the worker environment's TEMPORAL_* settings.
    env.keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    env.put("TEMPORAL_CONFIG_FILE", file.toString());

    for (String profile : List.of("onprem", "cloud")) {
      InProcessRun run = InProcessRun.of(env, "status", "--profile", profile, "no-such-job");
      // Past TLS and the key check: the server itself answers that there is no such job.
      assertTrue(
          run.err().contains("no job with id 'no-such-job'"), () -> profile + ": " + run.err());
    }
  }

  /** One `concat` command run in this JVM with {@code environment}: its exit code and stderr. */
  private record InProcessRun(int exitCode, String err) {
    static InProcessRun of(Map<String, String> environment, String... args) {
      var out = new ByteArrayOutputStream();
      var err = new ByteArrayOutputStream();
      var console =
          new ConcatCli.Console(
              new PrintStream(out, true, UTF_8),
              new PrintStream(err, true, UTF_8),
              environment,
              false);
      int exit = ConcatCli.run(console, args);
      return new InProcessRun(exit, err.toString(UTF_8));
    }
  }

  @Test
  void aWorkerWithoutItsCertificateExitsSayingWhatToSet() {
    WorkerJvm worker =
        stack
            .environment()
            .startWorker(
                "no-cert",
                stack.workDir("no-cert"),
                Map.of(
                    "TEMPORAL_ADDRESS",
                    nginx.mtlsAddress(),
                    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                    certs.caCert().toString()));
    try {
      // The connection fails at the server's first answer, as the CLI's do within FAIL_WITHIN; a
      // worker JVM's start before it took up to 17 s on the 2-core machine at a load of 16.
      Duration took = worker.awaitExit(FAIL_WITHIN.multipliedBy(3));
      assertNotEquals(0, worker.exitCode(), worker::logText);
      assertTrue(worker.logText().contains("requires a TLS client certificate"), worker::logText);
      System.out.printf(
          Locale.ROOT,
          "SecuredTemporalIT: a worker without its client certificate exited in %d ms%n",
          took.toMillis());
    } finally {
      worker.close();
    }
  }

  /**
   * `concat status` with {@code connection} exits non-zero within the bound, its message holding
   * {@code hint}. Run in this JVM, so the bound measures the connection, not a JVM's start on a
   * loaded machine (the worker test above runs the whole process).
   */
  private void assertFailsSaying(Map<String, String> connection, String hint) {
    Map<String, String> env = new HashMap<>(stack.environment().variables());
    env.putAll(connection);
    long started = System.nanoTime();
    InProcessRun run = InProcessRun.of(env, "status", "any-job");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String said = run.err();
    assertNotEquals(0, run.exitCode(), said);
    assertTrue(said.contains(hint), () -> "expected '" + hint + "' in:\n" + said);
    assertTrue(took.compareTo(FAIL_WITHIN) < 0, () -> "took " + took.toMillis() + " ms:\n" + said);
    assertTrue(!said.contains(API_KEY) && !said.contains("PRIVATE KEY"), said);
    System.out.printf(
        Locale.ROOT, "SecuredTemporalIT: '%s' reported in %d ms%n", hint, took.toMillis());
  }

  private CliProcess cli(Map<String, String> connection, List<String> args)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>(stack.environment().variables());
    env.putAll(connection);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ItPaths.jar().toString()));
    command.addAll(args);
    return CliProcess.exec(command, env, temp.resolve("cli"), Duration.ofSeconds(120));
  }
}
