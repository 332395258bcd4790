package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.activities.execution.ActivityLogContext;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The shipped logback.xml in both formats, fed by a real activity that logs from a pool thread
 * about one segment, as the download does: every line names the job, the activity, the attempt and
 * the segment.
 */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MESSAGE = "segment 3 could not be fetched";

  @ActivityInterface
  public interface SegmentStep {
    /** Returns what the activity knows of itself: workflow id, activity type, attempt. */
    List<String> fetch(int segment);
  }

  @Test
  void jsonLinesCarryTheJobFieldsFlat() throws Exception {
    Logged logged = runActivityLoggingWith("json");

    JsonNode line =
        logged.lines().stream()
            .filter(l -> l.startsWith("{"))
            .map(LogFormatTest::parse)
            .filter(node -> MESSAGE.equals(node.path("message").asText()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no JSON line with the message in:\n" + logged.lines()));
    assertEquals(logged.identity().get(0), line.path("workflowId").asText(), line::toString);
    assertEquals(logged.identity().get(1), line.path("activity").asText(), line::toString);
    assertEquals(logged.identity().get(2), line.path("attempt").asText(), line::toString);
    assertEquals("3", line.path("segment").asText(), line::toString);
    assertEquals("WARN", line.path("level").asText());
    assertEquals("dev.concat.activities.storage.SegmentDownloader", line.path("logger").asText());
    assertTrue(line.path("timestamp").asText().endsWith("Z"), "UTC timestamp: " + line);
    assertTrue(
        line.path("stack_trace").asText().contains("java.io.IOException: connection reset"),
        line::toString);
    assertFalse(
        line.has("WorkflowId") || line.has("mdc"), "each fact once, at the top level: " + line);
  }

  @Test
  void textLinesCarryTheSameFields() throws Exception {
    Logged logged = runActivityLoggingWith("text");

    String line =
        logged.lines().stream()
            .filter(l -> l.contains(MESSAGE))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no line with the message in:\n" + logged.lines()));
    assertTrue(
        line.contains(
            " workflowId="
                + logged.identity().get(0)
                + " activity="
                + logged.identity().get(1)
                + " attempt="
                + logged.identity().get(2)
                + " segment=3 "),
        line);
    assertTrue(
        line.contains("error=\"java.io.IOException: connection reset | "),
        "one line, trace folded: " + line);
  }

  @Test
  void aNewlineInAWorkflowIdCannotForgeALine() throws Exception {
    String forged =
        "ep-1\nts=2026-01-01T00:00:00.000Z level=ERROR logger=ConcatWorkflowImpl msg=\"job ep-2 completed\"";
    LoggerContext logging = textLogging();
    PrintStream stderr = System.err;
    var captured = new ByteArrayOutputStream();
    try (var id = MDC.putCloseable("WorkflowId", forged)) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      logging
          .getLogger("dev.concat.workflows.ConcatWorkflowImpl")
          .warn("job {} failed: {}", forged, "bad\r\u001b[2J");
    } finally {
      System.setErr(stderr);
      logging.stop();
    }

    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).contains("workflowId=ep-1\\nts=2026"), lines.get(0));
    assertFalse(
        lines.get(0).contains("\u001b"), "no terminal escape reaches a viewer: " + lines.get(0));
    assertTrue(lines.get(0).contains("\\u001b[2J"), lines.get(0));
    // The message folds its line breaks as before; the escape sequence is written out.
    assertTrue(
        lines
            .get(0)
            .endsWith(
                "msg=\"job ep-1 | ts=2026-01-01T00:00:00.000Z level=ERROR logger=ConcatWorkflowImpl "
                    + "msg=\\\"job ep-2 completed\\\" failed: bad | \\u001b[2J\""),
        "the line ends with its message: " + lines.get(0));
  }

  private static LoggerContext textLogging() throws JoranException {
    LoggerContext logging = new LoggerContext();
    logging.setMDCAdapter(MDC.getMDCAdapter());
    logging.putProperty(LogFormat.VARIABLE, "text");
    var configurator = new JoranConfigurator();
    configurator.setContext(logging);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
    return logging;
  }

  @Test
  void anUnknownFormatStillLogsAsText() throws Exception {
    Logged logged = runActivityLoggingWith("JSONL");

    assertTrue(
        logged.lines().stream().anyMatch(l -> l.startsWith("ts=") && l.contains(MESSAGE)),
        "text lines: " + logged.lines());
  }

  private record Logged(List<String> lines, List<String> identity) {}

  private static Logged runActivityLoggingWith(String format) throws JoranException {
    LoggerContext logging = new LoggerContext();
    logging.setMDCAdapter(MDC.getMDCAdapter());
    logging.putProperty(LogFormat.VARIABLE, format);
    var configurator = new JoranConfigurator();
    configurator.setContext(logging);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));

    PrintStream stderr = System.err;
    var captured = new ByteArrayOutputStream();
    TestActivityEnvironment activities = TestActivityEnvironment.newInstance();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      activities.registerActivitiesImplementations(
          new LoggingStep(logging.getLogger("dev.concat.activities.storage.SegmentDownloader")));
      SegmentStep step =
          activities.newActivityStub(
              SegmentStep.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
      List<String> identity = step.fetch(3);
      return new Logged(captured.toString(StandardCharsets.UTF_8).lines().toList(), identity);
    } finally {
      System.setErr(stderr);
      activities.close();
      logging.stop();
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not one JSON object: " + line, e);
    }
  }

  /** Logs from a pool thread with the segment in the MDC, the way SegmentDownloader does. */
  static final class LoggingStep implements SegmentStep {
    private final Logger log;

    LoggingStep(Logger log) {
      this.log = log;
    }

    @Override
    public List<String> fetch(int segment) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try (var context = ActivityLogContext.enter()) {
        pool.submit(
                ActivityLogContext.carry(
                    () -> {
                      try (var inSegment =
                          MDC.putCloseable(ActivityLogContext.SEGMENT, String.valueOf(segment))) {
                        log.warn(MESSAGE, new IOException("connection reset"));
                      }
                      return null;
                    }))
            .get();
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        return List.of(
            info.getWorkflowId(), info.getActivityType(), String.valueOf(info.getAttempt()));
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
