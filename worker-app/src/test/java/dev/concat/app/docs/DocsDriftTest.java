package dev.concat.app.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.app.config.EnvironmentDefaults;
import dev.concat.contract.FailureType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manual against the code: every setting it names exists, every setting the code reads is in
 * it, its failure table is the failure vocabulary, and its links lead somewhere. A doc that drifts
 * from the code fails the build here instead of misleading an operator.
 */
class DocsDriftTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final MarkdownFile CONFIGURATION =
      MarkdownFile.read(REPO.resolve("docs/configuration.md"));
  private static final MarkdownFile RUNBOOK = MarkdownFile.read(REPO.resolve("docs/operators.md"));
  private static final String FAILURE_TABLE = "| type | meaning | action |";

  /** CONCAT_ names; one ending in "_" is a wildcard in prose ("CONCAT_MAX_*"), not a setting. */
  private static final Pattern CONCAT_VARIABLE =
      Pattern.compile("CONCAT_[A-Z0-9_]*[A-Z0-9]\\b(?!_)");

  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
  private static final Pattern BACKTICKED = Pattern.compile("`([A-Za-z]+)`");

  private static final String MAIN_CODE = mainSources();

  @Test
  void everySettingTheConfigurationTablesNameExistsInTheCode() {
    List<String> missing = new ArrayList<>();
    for (String variable : matches(CONCAT_VARIABLE, CONFIGURATION.text())) {
      if (!MAIN_CODE.contains(variable)) {
        missing.add(variable);
      }
    }
    String tables =
        CONFIGURATION.lines().stream()
            .filter(line -> line.startsWith("|"))
            .collect(Collectors.joining("\n"));
    for (String flag : matches(FLAG, tables)) {
      if (!MAIN_CODE.contains('"' + flag + '"')) {
        missing.add(flag);
      }
    }
    assertEquals(List.of(), missing, "docs/configuration.md names settings no main source has");
  }

  @Test
  void everyConcatVariableInTheCodeIsOnTheConfigurationPage() {
    Set<String> undocumented = matches(CONCAT_VARIABLE, MAIN_CODE);
    assertTrue(undocumented.size() > 20, "the main sources were read: " + undocumented);
    undocumented.removeAll(matches(CONCAT_VARIABLE, CONFIGURATION.text()));
    assertEquals(
        Set.of(), undocumented, "variables the code reads and docs/configuration.md omits");
  }

  @Test
  void everyFlagAndItsVariableShareARowOfTheConfigurationPage() {
    List<String> apart = new ArrayList<>();
    for (Map.Entry<String, String> setting : EnvironmentDefaults.VARIABLES.entrySet()) {
      String flag = '`' + setting.getKey() + '`';
      String variable = '`' + setting.getValue() + '`';
      if (CONFIGURATION.lines().stream()
          .noneMatch(row -> row.contains(flag) && row.contains(variable))) {
        apart.add(setting.getKey() + " / " + setting.getValue());
      }
    }
    assertEquals(
        List.of(), apart, "flags whose variable is not on the same row of docs/configuration.md");
  }

  @Test
  void theRunbookFailureTableNamesExactlyTheFailureTypes() {
    Set<String> documented = new TreeSet<>();
    for (String[] row : RUNBOOK.tableRows(FAILURE_TABLE)) {
      documented.addAll(matches(BACKTICKED, row[1]));
    }
    Set<String> raised =
        Arrays.stream(FailureType.values())
            .map(FailureType::type)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(raised, documented, "the failure types in docs/operators.md against FailureType");
  }

  @Test
  void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      MarkdownFile file = MarkdownFile.read(page);
      for (String link : file.links()) {
        if (link.matches("^[a-z]+:.*")) {
          continue;
        }
        checked++;
        String where = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
        String anchor = link.contains("#") ? link.substring(link.indexOf('#') + 1) : "";
        Path target = where.isEmpty() ? page : page.getParent().resolve(where).normalize();
        if (!Files.exists(target)) {
          broken.add(REPO.relativize(page) + ": " + link + " (no such file)");
        } else if (!anchor.isEmpty()
            && target.toString().endsWith(".md")
            && !MarkdownFile.read(target).anchors().contains(anchor)) {
          broken.add(REPO.relativize(page) + ": " + link + " (no such heading)");
        }
      }
    }
    assertTrue(checked > 20, "links were found: " + checked);
    assertEquals(List.of(), broken);
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
    }
    return found;
  }

  /** Every main source and resource of every module, where settings are read and declared. */
  private static String mainSources() {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> modules = Files.list(REPO)) {
      for (Path main :
          modules.map(module -> module.resolve("src/main")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          for (Path file :
              files.filter(Files::isRegularFile).filter(DocsDriftTest::isText).toList()) {
            all.append(Files.readString(file)).append('\n');
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  private static boolean isText(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".java") || name.endsWith(".xml") || name.endsWith(".properties");
  }
}
