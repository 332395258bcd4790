package dev.concat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operators' stack (docker-compose.yml) and the worker image (Dockerfile), checked without a
 * Docker engine: docker-compose validates the file offline, and the configuration it resolves
 * (variables filled in, in its own normalized YAML) is what the assertions read.
 */
class ComposeFileTest {
  private static final Path ROOT = repositoryRoot();
  private static final Duration COMPOSE_LIMIT = Duration.ofSeconds(60);
  private static final String INSTALL_HINT = "Debian/Ubuntu: apt-get install docker-compose";

  private static final Set<String> SERVICES =
      Set.of(
          "postgresql",
          "temporal",
          "temporal-ui",
          "temporal-admin-tools",
          "setup-search-attributes",
          "minio",
          "setup-bucket",
          "worker");

  private static Map<String, Entry> services;
  private static boolean skipAnnounced;

  @Test
  void composeAcceptsTheFileWithoutWarnings() {
    Output output = dockerCompose("config", "-q");

    assertEquals(
        0, output.exitCode(), () -> "docker-compose config -q failed:\n" + output.stderr());
    assertEquals("", output.stderr().strip(), "docker-compose warned about the file");
  }

  @Test
  void everyServiceOfTheStackIsThere() {
    assertTrue(
        services().keySet().containsAll(SERVICES),
        "expected at least " + SERVICES + ", got " + services().keySet());
  }

  @Test
  void workersScaleBecauseNothingInThemIsFixed() {
    Map<String, Entry> worker = service("worker");

    // --scale worker=N starts N containers: a fixed name or host port would clash, and a fixed
    // hostname would give them all one host queue.
    assertFalse(worker.containsKey("container_name"), "worker has a container_name");
    assertFalse(worker.containsKey("hostname"), "worker has a fixed hostname");
    assertFalse(worker.containsKey("ports"), "worker publishes ports");
    assertTrue(worker.containsKey("build"), "worker is not built from the Dockerfile");
  }

  @Test
  void servicesStartInOrder() {
    assertEquals(Map.of("postgresql", "service_healthy"), dependencies("temporal"));
    assertEquals(Map.of("temporal", "service_healthy"), dependencies("setup-search-attributes"));
    assertEquals(Map.of("minio", "service_healthy"), dependencies("setup-bucket"));
    assertEquals(Map.of("temporal", "service_healthy"), dependencies("temporal-ui"));
    assertEquals(
        Map.of(
            "temporal", "service_healthy",
            "minio", "service_healthy",
            "setup-search-attributes", "service_completed_successfully",
            "setup-bucket", "service_completed_successfully"),
        dependencies("worker"));
  }

  @Test
  void everyConditionCanBeMet() {
    for (String name : services().keySet()) {
      dependencies(name)
          .forEach(
              (dependency, condition) -> {
                Map<String, Entry> target = service(dependency);
                if (condition.equals("service_healthy")) {
                  assertTrue(
                      target.containsKey("healthcheck"),
                      name
                          + " waits for "
                          + dependency
                          + " to be healthy, "
                          + "which has no healthcheck");
                } else if (condition.equals("service_completed_successfully")) {
                  String restart =
                      target.containsKey("restart") ? target.get("restart").value() : "no";
                  assertEquals(
                      "no",
                      restart,
                      name + " waits for one-shot " + dependency + " to complete, which restarts");
                }
              });
    }
  }

  @Test
  void workerUsesItsOwnMinioUserLimitedToTheBucketNotTheRootUser() throws IOException {
    Map<String, String> worker = environment("worker");
    Map<String, String> minio = environment("minio");
    Map<String, String> setup = environment("setup-bucket");

    assertNotEquals(minio.get("MINIO_ROOT_USER"), worker.get("AWS_ACCESS_KEY_ID"));
    assertNotEquals(minio.get("MINIO_ROOT_PASSWORD"), worker.get("AWS_SECRET_ACCESS_KEY"));
    assertEquals(setup.get("CONCAT_WORKER_ACCESS_KEY"), worker.get("AWS_ACCESS_KEY_ID"));
    assertEquals(setup.get("CONCAT_WORKER_SECRET_KEY"), worker.get("AWS_SECRET_ACCESS_KEY"));
    // The user's policy names the bucket setup-bucket creates, and no other resource.
    String script = Files.readString(ROOT.resolve("deploy/minio/create-bucket.sh"));
    assertTrue(
        script.contains("arn:aws:s3:::$bucket\"") && script.contains("arn:aws:s3:::$bucket/*\""),
        script);
    assertEquals(
        List.of("arn:aws:s3:::$bucket", "arn:aws:s3:::$bucket/*"),
        Pattern.compile("arn:aws:s3:::[^\"]*")
            .matcher(script)
            .results()
            .map(m -> m.group())
            .distinct()
            .toList());
    assertEquals("concat", setup.get("CONCAT_BUCKET"));
    assertEquals("s3://concat/", worker.get("CONCAT_ALLOWED_INPUTS"));
    assertEquals("s3://concat/", worker.get("CONCAT_ALLOWED_OUTPUTS"));
    assertEquals("http://minio:9000", worker.get("S3_ENDPOINT"));
    assertEquals("temporal:7233", worker.get("TEMPORAL_ADDRESS"));
  }

  @Test
  void workerIsKilledOnlyAfterItsOwnShutdownGrace() {
    Map<String, Entry> worker = service("worker");
    assertTrue(
        worker.containsKey("stop_grace_period"),
        "worker has no stop_grace_period (Compose's default is 10s)");
    Duration stopGrace = duration(worker.get("stop_grace_period").value());
    Duration shutdownGrace =
        duration(environment("worker").getOrDefault("CONCAT_SHUTDOWN_GRACE", "10s"));

    assertTrue(
        stopGrace.compareTo(shutdownGrace) > 0,
        "stop_grace_period " + stopGrace + " must exceed CONCAT_SHUTDOWN_GRACE " + shutdownGrace);
  }

  @Test
  void workerHealthIsItsReadinessOnItsMetricsPort() throws IOException {
    Map<String, Entry> worker = service("worker");
    String port = environment("worker").get("CONCAT_METRICS_PORT");

    assertTrue(worker.containsKey("healthcheck"), "worker has no healthcheck");
    String check = String.join("\n", worker.get("healthcheck").lines());
    assertTrue(check.contains("127.0.0.1:" + port + "/health/ready"), check);
    // The check runs curl inside the worker image.
    assertTrue(
        Files.readString(ROOT.resolve("Dockerfile"))
            .matches("(?s).*apt-get install[^&]*\\bcurl\\b.*"),
        "the Dockerfile does not install curl");
  }

  @Test
  void webUiIsPublishedOnPort8080() {
    Map<String, Entry> ui = service("temporal-ui");

    assertTrue(
        ui.containsKey("ports") && String.join("\n", ui.get("ports").lines()).contains("8080"),
        "temporal-ui does not publish 8080");
  }

  @Test
  void everyRepositoryPathTheStackMountsExists() {
    Pattern repositoryPath = Pattern.compile(Pattern.quote(ROOT.toString()) + "(/[^:\\s\"']*)?");
    for (String name : services().keySet()) {
      Entry volumes = service(name).get("volumes");
      Matcher source =
          repositoryPath.matcher(volumes == null ? "" : String.join("\n", volumes.lines()));
      while (source.find()) {
        Path path = Path.of(source.group());
        assertTrue(Files.exists(path), name + " mounts " + path + ", which does not exist");
      }
    }
  }

  @Test
  void oneShotSetupsRunScriptsFromDeploy() {
    for (String name : List.of("setup-search-attributes", "setup-bucket")) {
      Map<String, Entry> service = service(name);
      String volumes =
          service.containsKey("volumes") ? String.join("\n", service.get("volumes").lines()) : "";
      assertTrue(
          volumes.contains(ROOT.resolve("deploy").toString()), name + " does not mount deploy/");
      String script =
          items(service.get("entrypoint")).stream()
              .filter(a -> a.startsWith("/deploy/"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " does not run a script from /deploy"));
      assertTrue(
          Files.isRegularFile(ROOT.resolve(script.substring(1))),
          name
              + " runs "
              + script
              + " (deploy/ is mounted at /deploy), which is not in the repository");
    }
  }

  @Test
  void dockerfileBuildsTheJarAndRunsItWithFfmpegAsNonRoot() throws IOException {
    Path dockerfile = ROOT.resolve("Dockerfile");
    assertTrue(Files.isRegularFile(dockerfile), "no Dockerfile at " + ROOT);
    List<String> instructions = instructions(Files.readString(dockerfile));
    int runtimeStage = lastIndexStartingWith(instructions, "FROM ");

    assertTrue(
        instructions.stream()
            .anyMatch(
                i ->
                    i.startsWith("RUN ")
                        && i.contains("mvn -B -q -pl worker-app -am package -DskipTests")),
        "the build stage does not build the jar");
    List<String> runtime = instructions.subList(runtimeStage, instructions.size());
    assertTrue(
        runtime.get(0).startsWith("FROM debian:"),
        "the runtime image is not Debian: " + runtime.get(0));
    String install =
        runtime.stream().filter(i -> i.contains("apt-get install")).findFirst().orElse("");
    for (String pkg : List.of("openjdk-17-jre-headless", "ffmpeg", "util-linux")) {
      assertTrue(
          install.matches("(?s).*\\s" + Pattern.quote(pkg) + "(\\s.*|$)"),
          "the runtime image does not install " + pkg);
    }
    assertTrue(
        runtime.stream()
            .anyMatch(
                i ->
                    i.startsWith("COPY --from=")
                        && i.contains("worker-app/target/concat.jar")
                        && i.endsWith(" /app/concat.jar")),
        "the jar is not copied to /app");

    String user =
        runtime.get(lastIndexStartingWith(runtime, "USER ")).substring("USER ".length()).strip();
    assertNotEquals("root", user.split(":")[0]);
    assertNotEquals("0", user.split(":")[0]);
    String command =
        runtime.get(lastIndexStartingWith(runtime, "ENTRYPOINT "))
            + " "
            + runtime.get(lastIndexStartingWith(runtime, "CMD "));
    assertTrue(
        command.matches("(?s).*\"java\", \"-jar\", \"/app/concat.jar\"\\].*\\[\"worker\"\\].*"),
        "the image does not run `java -jar /app/concat.jar worker`: " + command);
  }

  // --- docker-compose ---

  private record Output(int exitCode, String stdout, String stderr) {}

  private static Output dockerCompose(String... arguments) {
    List<String> command =
        new ArrayList<>(
            List.of("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString()));
    command.addAll(List.of(arguments));
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("compose-out", ".txt");
      stderr = Files.createTempFile("compose-err", ".txt");
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
      } catch (IOException notInstalled) {
        skipOrFail(
            "docker-compose is not installed ("
                + notInstalled.getMessage()
                + "), so docker-compose.yml "
                + "cannot be checked. "
                + INSTALL_HINT
                + ".");
        throw new AssertionError("unreachable");
      }
      if (!process.waitFor(COMPOSE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(
            String.join(" ", command)
                + " did not finish within "
                + COMPOSE_LIMIT.toSeconds()
                + " s");
      }
      return new Output(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("running " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static synchronized void skipOrFail(String message) {
    if (System.getenv("CI") != null) {
      fail(message + " (CI is set: not skipping.)");
    }
    if (!skipAnnounced) {
      System.err.println("\n*** SKIPPED: " + message + " ***\n");
      skipAnnounced = true;
    }
    Assumptions.abort(message);
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // A leftover temp file is harmless.
    }
  }

  /** The services of the resolved configuration, each as its top-level keys. */
  private static synchronized Map<String, Entry> services() {
    if (services == null) {
      Output output = dockerCompose("config");
      assertEquals(0, output.exitCode(), () -> "docker-compose config failed:\n" + output.stderr());
      Entry servicesEntry = mapping(output.stdout().lines().toList()).get("services");
      assertTrue(servicesEntry != null, "no services in:\n" + output.stdout());
      services = servicesEntry.children();
    }
    return services;
  }

  private static Map<String, Entry> service(String name) {
    Entry service = services().get(name);
    assertTrue(service != null, "no service " + name);
    return service.children();
  }

  /** depends_on as service -> condition. */
  private static Map<String, String> dependencies(String name) {
    Entry dependsOn = service(name).get("depends_on");
    Map<String, String> conditions = new LinkedHashMap<>();
    if (dependsOn != null) {
      dependsOn
          .children()
          .forEach(
              (dependency, details) -> {
                Entry condition = details.children().get("condition");
                conditions.put(
                    dependency, condition == null ? "service_started" : condition.value());
              });
    }
    return conditions;
  }

  private static Map<String, String> environment(String name) {
    Entry environment = service(name).get("environment");
    Map<String, String> values = new LinkedHashMap<>();
    if (environment != null) {
      environment.children().forEach((key, entry) -> values.put(key, entry.value()));
    }
    return values;
  }

  /** The items of a block sequence ("- item" lines), for lists of plain strings. */
  private static List<String> items(Entry entry) {
    List<String> items = new ArrayList<>();
    if (entry != null) {
      for (String line : entry.lines()) {
        String text = line.strip();
        if (text.startsWith("- ")) {
          items.add(unquote(text.substring(2).strip()));
        }
      }
    }
    return items;
  }

  // --- the block-style YAML docker-compose config prints ---

  /** A mapping key's scalar value on its own line ("" if none) and the lines nested under it. */
  private record Entry(String value, List<String> lines) {
    Map<String, Entry> children() {
      return mapping(lines);
    }
  }

  /**
   * The keys at the outermost indentation of {@code lines}. Enough for docker-compose's own output
   * (block style throughout, plain keys); not a YAML parser.
   */
  private static Map<String, Entry> mapping(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(ComposeFileTest::indentOf)
            .min()
            .orElse(0);
    Map<String, Entry> entries = new LinkedHashMap<>();
    String key = null;
    String value = "";
    List<String> nested = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String text = line.substring(Math.min(indent, line.length()));
      if (indentOf(line) == indent && !text.startsWith("-") && text.contains(":")) {
        if (key != null) {
          entries.put(key, new Entry(value, nested));
        }
        int colon = text.indexOf(':');
        key = unquote(text.substring(0, colon).strip());
        value = unquote(text.substring(colon + 1).strip());
        nested = new ArrayList<>();
      } else {
        nested.add(line);
      }
    }
    if (key != null) {
      entries.put(key, new Entry(value, nested));
    }
    return entries;
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String unquote(String text) {
    boolean quoted =
        text.length() >= 2
            && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\""));
    return quoted ? text.substring(1, text.length() - 1) : text;
  }

  /** A Compose duration such as 30s, 1m30s or 500ms. */
  private static Duration duration(String text) {
    Matcher part = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
              });
      end = part.end();
    }
    assertEquals(text.length(), end, "not a duration: " + text);
    return total;
  }

  // --- Dockerfile ---

  /** Instructions with continuation lines joined and comments dropped, keyword first. */
  private static List<String> instructions(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.lines().toList()) {
      String text = line.strip();
      if (text.startsWith("#") || text.isEmpty() && current.isEmpty()) {
        continue;
      }
      boolean continues = text.endsWith("\\");
      current.append(continues ? text.substring(0, text.length() - 1) : text).append(' ');
      if (!continues) {
        instructions.add(current.toString().strip().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
    return instructions;
  }

  private static int lastIndexStartingWith(List<String> instructions, String keyword) {
    for (int i = instructions.size() - 1; i >= 0; i--) {
      if (instructions.get(i).startsWith(keyword)) {
        return i;
      }
    }
    fail("the Dockerfile has no " + keyword.strip() + " instruction");
    return -1;
  }

  private static Path repositoryRoot() {
    // Maven runs the tests in worker-app; an IDE may run them from the repository root.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no docker-compose.yml in " + Path.of("").toAbsolutePath() + " or above");
  }
}
