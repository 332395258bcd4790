package dev.concat.app.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.testkit.TemporalDevServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Temporal Web UI (2.x) as an operator reads it: the workflow list, a workflow's heading and
 * its Search Attributes, Memo and Queries tabs. The UI renders JSON in read-only editors labelled
 * with the tab's name; they are read back as JSON. A page shows what the server had when it loaded,
 * so a wait for something not yet there reloads the page until a bounded deadline.
 */
final class TemporalWebUi {
  /** The single-page app renders and fetches in well under this on a busy machine. */
  private static final Duration RENDER_LIMIT = Duration.ofSeconds(5);

  /**
   * How long a page is reloaded for something the server should show soon (visibility lags a
   * little).
   */
  private static final Duration SHOWN_LIMIT = Duration.ofSeconds(30);

  /** A query goes through the server to a live worker and back. */
  private static final Duration QUERY_LIMIT = Duration.ofSeconds(15);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HeadlessChromium browser;
  private final WebDriver driver;
  private final String namespaceUrl;

  TemporalWebUi(HeadlessChromium browser, String uiUrl) {
    this.browser = browser;
    this.driver = browser.driver();
    this.namespaceUrl = uiUrl + "/namespaces/" + TemporalDevServer.NAMESPACE;
  }

  /**
   * The workflow list's rows as text (status, workflow id, run id, type, times), once {@code
   * wanted} holds.
   */
  List<String> workflowRows(Predicate<List<String>> wanted) {
    return awaitShown(
        namespaceUrl + "/workflows",
        "the wanted rows in the workflow list",
        d -> {
          List<String> rows =
              d
                  .findElements(
                      By.cssSelector("tr[data-testid=workflows-summary-configurable-table-row]"))
                  .stream()
                  .map(WebElement::getText)
                  .toList();
          return wanted.test(rows) ? rows : null;
        });
  }

  /**
   * Waits until a run's page heading names it with the execution status {@code wanted}, e.g.
   * RUNNING.
   */
  void awaitExecutionStatus(String workflowId, String runId, String wanted) {
    awaitShown(
        runUrl(workflowId, runId),
        workflowId + " shown as " + wanted,
        d -> {
          String heading =
              d.findElement(By.cssSelector("[data-testid=workflow-id-heading]")).getText().strip();
          String status =
              d.findElement(By.cssSelector("[data-testid=execution-status]")).getText().strip();
          return heading.equals(workflowId) && status.equalsIgnoreCase(wanted);
        });
  }

  /** The Search Attributes tab's JSON, once {@code wanted} holds. */
  JsonNode searchAttributes(String workflowId, String runId, Predicate<JsonNode> wanted) {
    return awaitShown(
        runUrl(workflowId, runId) + "/search-attributes",
        workflowId + "'s wanted search attributes",
        jsonIn("Search Attributes", wanted));
  }

  /**
   * The Memo tab's fields (the UI shows the API's {@code {"fields": {...}}}), once {@code wanted}
   * holds.
   */
  JsonNode memo(String workflowId, String runId, Predicate<JsonNode> wanted) {
    return awaitShown(
            runUrl(workflowId, runId) + "/memo",
            workflowId + "'s wanted memo",
            jsonIn("Memo", memo -> wanted.test(memo.path("fields"))))
        .path("fields");
  }

  /**
   * Runs {@code queryType} from the Queries tab, as an operator does (pick it, press Run Query),
   * and returns the result the UI shows.
   */
  JsonNode runQuery(String workflowId, String runId, String queryType) {
    By choice =
        By.xpath(
            "//ul[@id='query-select-select']/li[@role='option'][.//span[normalize-space()='"
                + queryType
                + "']]");
    // The list of query types comes from the worker (the SDK's workflow metadata query).
    awaitShown(
            runUrl(workflowId, runId) + "/query",
            "the query types of " + workflowId,
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-testid=query-select-button]")))
        .click();
    await(RENDER_LIMIT).until(ExpectedConditions.elementToBeClickable(choice)).click();
    await(RENDER_LIMIT)
        .until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space()='Run Query']")))
        .click();
    try {
      return await(QUERY_LIMIT)
          .until(jsonIn("Query Result", result -> result.isObject() && result.size() > 0));
    } catch (TimeoutException e) {
      throw notShown("the result of query " + queryType + " on " + workflowId, e);
    }
  }

  /**
   * The text of a run's page as it opens, once {@code wanted} holds: what an operator sees without
   * a click, the timeline with its steps' summaries among it.
   */
  String runPageText(String workflowId, String runId, Predicate<String> wanted) {
    // Loaded once: the timeline renders last, and on a busy machine a reload would start it over.
    driver.get(runUrl(workflowId, runId));
    try {
      return await(SHOWN_LIMIT)
          .until(
              d -> {
                String text = d.findElement(By.tagName("main")).getText();
                return wanted.test(text) ? text : null;
              });
    } catch (TimeoutException e) {
      throw notShown(workflowId + "'s page with the wanted text", e);
    }
  }

  /**
   * The text of a run's tab named {@code tab} (e.g. User Metadata), opened as an operator does,
   * once {@code wanted} holds.
   */
  String tabText(String workflowId, String runId, String tab, Predicate<String> wanted) {
    By link =
        By.xpath(
            "//a[normalize-space()='" + tab + "'] | //button[normalize-space()='" + tab + "']");
    awaitShown(
            runUrl(workflowId, runId),
            "the " + tab + " tab of " + workflowId,
            ExpectedConditions.elementToBeClickable(link))
        .click();
    try {
      return await(QUERY_LIMIT)
          .until(
              d -> {
                String text = textWithFrames(d);
                return wanted.test(text) ? text : null;
              });
    } catch (TimeoutException e) {
      throw notShown("the wanted text in the " + tab + " tab of " + workflowId, e);
    }
  }

  /**
   * The app's text and that of the frames in it (the UI renders current details in a sandboxed
   * frame).
   */
  private static String textWithFrames(WebDriver d) {
    StringBuilder text = new StringBuilder(d.findElement(By.tagName("main")).getText());
    for (WebElement frame : d.findElements(By.cssSelector("main iframe"))) {
      d.switchTo().frame(frame);
      try {
        text.append('\n').append(d.findElement(By.tagName("body")).getText());
      } finally {
        d.switchTo().defaultContent();
      }
    }
    return text.toString();
  }

  private String runUrl(String workflowId, String runId) {
    return namespaceUrl + "/workflows/" + workflowId + "/" + runId;
  }

  /**
   * Loads {@code url} and waits until {@code read} returns a value, reloading the page after each
   * {@link #RENDER_LIMIT} without one, up to {@link #SHOWN_LIMIT}.
   */
  private <T> T awaitShown(String url, String what, Function<WebDriver, T> read) {
    long deadline = System.nanoTime() + SHOWN_LIMIT.toNanos();
    driver.get(url);
    while (true) {
      try {
        return await(RENDER_LIMIT).until(read);
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw notShown(
              what + " (" + url + ", reloaded for " + SHOWN_LIMIT.toSeconds() + " s)", e);
        }
        driver.navigate().refresh();
      }
    }
  }

  private WebDriverWait await(Duration limit) {
    var wait = new WebDriverWait(driver, limit);
    // The app re-renders as its data arrives, replacing elements already found.
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private AssertionError notShown(String what, TimeoutException cause) {
    String name = "not-shown-" + what.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
    var shot = browser.screenshot(name.length() > 80 ? name.substring(0, 80) : name);
    // The app's own content; a browser error page (no app) has only a body.
    String page =
        driver.findElements(By.tagName("main")).stream()
            .findFirst()
            .orElseGet(() -> driver.findElement(By.tagName("body")))
            .getText();
    return new AssertionError(
        "The Web UI did not show " + what + ". Screenshot " + shot + "; the page read:\n" + page,
        cause);
  }

  /**
   * The JSON in the read-only editor labelled {@code label}, once it parses and {@code wanted}
   * holds.
   */
  private static Function<WebDriver, JsonNode> jsonIn(String label, Predicate<JsonNode> wanted) {
    By editor = By.cssSelector("[role=textbox][aria-label='" + label + "']");
    return d -> {
      JsonNode json = parse(d.findElement(editor).getText());
      return json != null && wanted.test(json) ? json : null;
    };
  }

  /** Null while the editor holds no JSON yet (still rendering). */
  private static JsonNode parse(String text) {
    try {
      return text.isBlank() ? null : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
