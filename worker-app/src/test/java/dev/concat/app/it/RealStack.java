package dev.concat.app.it;

import dev.concat.activities.testing.SlowFfmpeg;
import dev.concat.testkit.Executables;
import dev.concat.testkit.TemporalDevServer;
import dev.concat.testkit.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's real stack: a Temporal dev server and an S3 API for the class, and worker
 * processes, a task queue and jobs for each test. After each test every worker it started is
 * killed, and so is any FFmpeg still working in their directories; its jobs still running are
 * terminated and S3 faults reset. After the class, the servers stop. A JVM shutdown hook does the
 * same if the test JVM is stopped in between. Register it on a static field:
 * {@code @RegisterExtension static final RealStack stack = new RealStack();}, or {@link #withWebUi}
 * for a class that also looks at the Web UI.
 */
public final class RealStack
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  /**
   * A worker JVM connects to Temporal and starts polling in a few seconds, even on a busy 2-core
   * machine.
   */
  private static final Duration WORKER_START_LIMIT = Duration.ofSeconds(30);

  private final boolean webUi;
  private final String[] temporalArgs;
  private final List<WorkerJvm> workers = new ArrayList<>();
  private final Set<Path> workDirs = new LinkedHashSet<>();
  private Path scratch;
  private Path logs;
  private String testName = "test";
  private TemporalDevServer temporal;
  private S3Fixture s3;
  private WorkerEnvironment environment;
  private JobClient jobs;
  private Thread shutdownHook;

  /**
   * {@code temporalArgs} go to {@code temporal server start-dev}, for example search attributes.
   */
  public RealStack(String... temporalArgs) {
    this(false, temporalArgs);
  }

  private RealStack(boolean webUi, String... temporalArgs) {
    this.webUi = webUi;
    this.temporalArgs = temporalArgs.clone();
  }

  /** A stack whose dev server also serves the Web UI, at {@code temporal().uiUrl()}. */
  public static RealStack withWebUi(String... temporalArgs) {
    return new RealStack(true, temporalArgs);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    logs = ItPaths.logs(testClass);
    scratch = ItPaths.scratch(testClass);
    shutdownHook = new Thread(this::stopEverything, "real-stack-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Path temporalLog = logs.resolve("temporal.log");
    Path binary = TemporalBinary.require();
    temporal =
        webUi
            ? TemporalDevServer.startWithUi(binary, temporalLog, temporalArgs)
            : TemporalDevServer.start(binary, temporalLog, temporalArgs);
    s3 = S3Fixture.start(scratch.resolve("s3"));
  }

  /** Each test gets its own task queue, so no job of an earlier test can reach its workers. */
  @Override
  public void beforeEach(ExtensionContext context) {
    testName = context.getRequiredTestMethod().getName();
    String taskQueue =
        "it-"
            + context.getRequiredTestClass().getSimpleName()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    environment = new WorkerEnvironment(temporal.address(), taskQueue, s3.endpoint(), logs);
    jobs = new JobClient(temporal.client(), taskQueue);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      stopWorkers();
    } finally {
      s3.delayGets(Duration.ZERO);
      s3.resetCounts();
      if (jobs != null) {
        jobs.terminateRunning("the test that started it ended");
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stopEverything();
    if (shutdownHook != null) {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    }
    if (scratch != null) {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * A work directory for a worker of the running test; the same name gives the same directory
   * (host).
   */
  public Path workDir(String name) {
    return scratch.resolve("work").resolve(testName + "-" + name);
  }

  /**
   * Starts a worker named {@code name} on {@link #workDir(String) its work directory} and waits
   * until it polls. Its log is {@code target/it-logs/<TestClass>/<test>-<name>.log}.
   */
  public WorkerJvm startWorker(String name, Map<String, String> extraEnv) {
    Path workDir = workDir(name);
    WorkerJvm worker;
    synchronized (this) {
      worker = environment.startWorker(testName + "-" + name, workDir, extraEnv);
      workers.add(worker);
      workDirs.add(workDir);
    }
    worker.awaitRunning(WORKER_START_LIMIT);
    return worker;
  }

  public WorkerJvm startWorker(String name) {
    return startWorker(name, Map.of());
  }

  /**
   * The environment that makes a worker run FFmpeg at playing speed (a wrapper that runs the real
   * FFmpeg with {@code -re} as its child), so a test has seconds to act while it joins.
   */
  public Map<String, String> slowFfmpeg() {
    Map<String, String> env = new HashMap<>();
    env.put("FFMPEG_PATH", SlowFfmpeg.script(scratch.resolve("tools")).toString());
    env.put("FFPROBE_PATH", Executables.require("ffprobe").toString());
    return env;
  }

  public S3Fixture s3() {
    return s3;
  }

  public TemporalDevServer temporal() {
    return temporal;
  }

  public JobClient jobs() {
    return jobs;
  }

  public WorkerEnvironment environment() {
    return environment;
  }

  private synchronized void stopWorkers() {
    for (WorkerJvm worker : workers) {
      worker.close();
    }
    workers.clear();
    for (Path workDir : workDirs) {
      List<Orphans.Proc> killed = Orphans.killAll(workDir);
      if (!killed.isEmpty()) {
        System.err.println("RealStack: killed processes left in " + workDir + ": " + killed);
      }
    }
    workDirs.clear();
  }

  private void stopEverything() {
    stopWorkers();
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
    if (temporal != null) {
      temporal.close();
      temporal = null;
    }
  }
}
