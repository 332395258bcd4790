package dev.concat.app.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the namespace has concat's search attributes, as the workflow asks once per job. A
 * namespace without them still runs jobs (without the attributes); the worker says once what to
 * register, and picks them up at the next check once an operator has.
 */
public final class SearchAttributeCheck implements BooleanSupplier {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeCheck.class);

  /** A search attribute the workflow upserts, with its type as the `temporal` CLI spells it. */
  public record Attribute(String name, IndexedValueType type, String cliType) {}

  /** What the workflow upserts; the names and types the README and docker-compose register. */
  public static final List<Attribute> REQUIRED =
      List.of(
          new Attribute("ConcatState", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, "Keyword"),
          new Attribute("ConcatSegments", IndexedValueType.INDEXED_VALUE_TYPE_INT, "Int"));

  private static final long CALL_TIMEOUT_SECONDS = 5;

  private final OperatorServiceStubs operator;
  private final String namespace;
  private volatile boolean registered;
  private String lastReport = "";

  public SearchAttributeCheck(WorkflowServiceStubs service, String namespace) {
    this.operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    this.namespace = namespace;
  }

  @Override
  public boolean getAsBoolean() {
    return registered;
  }

  /** Asks the server again; a failed call keeps the last answer. */
  public synchronized void refresh() {
    Map<String, IndexedValueType> present;
    try {
      present =
          operator
              .blockingStub()
              .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        registered = false;
        report(
            false,
            "this Temporal server has no visibility API (the in-process server of `concat dev` "
                + "and `concat demo`), so jobs run without search attributes; find them with `concat status`");
      } else {
        report(
            true,
            "could not list the search attributes of namespace "
                + namespace
                + " ("
                + e.getStatus()
                + "); jobs "
                + (registered ? "keep" : "run without")
                + " them until the next check");
      }
      return;
    }
    List<String> missing = missing(present);
    registered = missing.isEmpty();
    if (registered) {
      report(
          false,
          "namespace "
              + namespace
              + " has the search attributes "
              + String.join(", ", REQUIRED.stream().map(Attribute::name).toList())
              + ": jobs publish them");
    } else {
      report(
          true,
          "namespace "
              + namespace
              + " lacks the search attributes "
              + String.join(", ", missing)
              + ", so jobs run without them (the Web UI and `temporal workflow list --query` cannot filter by "
              + "them). Register them once with: "
              + registerCommands(namespace));
    }
  }

  /** A wrongly typed attribute counts as missing: upserting into it would fail the job's tasks. */
  private static List<String> missing(Map<String, IndexedValueType> present) {
    List<String> missing = new ArrayList<>();
    for (Attribute attribute : REQUIRED) {
      IndexedValueType actual = present.get(attribute.name());
      if (actual != attribute.type()) {
        missing.add(
            attribute.name()
                + " ("
                + attribute.cliType()
                + (actual == null ? ")" : ", but it is registered as " + actual + ")"));
      }
    }
    return missing;
  }

  /** The `temporal` CLI commands that register what is required. */
  public static String registerCommands(String namespace) {
    List<String> commands = new ArrayList<>();
    for (Attribute attribute : REQUIRED) {
      commands.add(
          "temporal operator search-attribute create --namespace "
              + namespace
              + " --name "
              + attribute.name()
              + " --type "
              + attribute.cliType());
    }
    return String.join(" && ", commands);
  }

  /** Says each distinct finding once, however often the check runs. */
  private void report(boolean warn, String message) {
    if (message.equals(lastReport)) {
      return;
    }
    lastReport = message;
    if (warn) {
      log.warn(message);
    } else {
      log.info(message);
    }
  }
}
