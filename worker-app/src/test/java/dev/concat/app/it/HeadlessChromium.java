package dev.concat.app.it;

import dev.concat.activities.testing.MissingPrerequisite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One test class's browser: Debian's {@code chromium}, headless, driven by Selenium through
 * Debian's {@code chromedriver}. Both paths are given to Selenium, so Selenium Manager never looks
 * for (or downloads) a browser or driver of its own. Without them the class is skipped, or fails
 * when {@code CI} is set or {@code -Dconcat.requireBrowser=true}. A failed test leaves a screenshot
 * of what the browser showed. Register it before the {@link RealStack}, with {@code @Order}, so a
 * machine without a browser skips before any server starts.
 */
final class HeadlessChromium
    implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {
  /** Loading a page of the local Web UI takes well under a second; far longer means it hangs. */
  private static final Duration PAGE_LOAD_LIMIT = Duration.ofSeconds(30);

  private static final String INSTALL_HINT =
      "apt-get install chromium chromium-driver (Debian), "
          + "or point -Dconcat.chromium and -Dconcat.chromedriver at a matching browser and driver";

  private final Path screenshots;
  private ChromeDriver driver;

  /** Screenshots go to {@code screenshots}. */
  HeadlessChromium(Path screenshots) {
    this.screenshots = screenshots;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Path browser = require("concat.chromium", Path.of("/usr/bin/chromium"));
    Path chromedriver = require("concat.chromedriver", Path.of("/usr/bin/chromedriver"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(browser.toFile())
            // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. A fixed
            // window
            // makes screenshots comparable; containers' small /dev/shm crashes tabs without the
            // flag.
            .addArguments(
                "--headless", "--no-sandbox", "--window-size=1600,1000", "--disable-dev-shm-usage");
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_LIMIT);
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (driver != null && context.getExecutionException().isPresent()) {
      Path shot = screenshot("failed-" + context.getRequiredTestMethod().getName());
      System.err.println(
          "HeadlessChromium: the page at the failure (" + driver.getCurrentUrl() + "): " + shot);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
  }

  WebDriver driver() {
    return driver;
  }

  /** Saves what the window shows as {@code <name>.png} and returns its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(screenshots);
      return Files.write(
          screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save screenshot " + name, e);
    }
  }

  private static Path require(String property, Path debianPath) {
    String configured = System.getProperty(property);
    Path path = configured == null || configured.isBlank() ? debianPath : Path.of(configured);
    if (Files.isExecutable(path)) {
      return path;
    }
    String message =
        path + " is missing, so the Web UI browser test cannot run. " + INSTALL_HINT + ".";
    throw MissingPrerequisite.skipOrFail(message, "concat.requireBrowser");
  }
}
