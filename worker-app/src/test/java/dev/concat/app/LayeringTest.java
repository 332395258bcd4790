package dev.concat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the arrows between the layers by scanning every module's main sources: the contract depends
 * on the SDK alone, the workflow and the activities each see the contract and never each other, and
 * only worker-app wires them together. A scan of the source text, so it also catches a fully
 * qualified name used without an import.
 */
class LayeringTest {

  /**
   * What code in {@code pkg} may name: the packages of concat it may reach and, when not null, the
   * only libraries it may import.
   */
  private record Layer(String pkg, List<String> concatAllowed, List<String> importsAllowed) {}

  private static final List<Layer> LAYERS =
      List.of(
          // Clients and other-language workers read the contract: none of concat's machinery, no
          // libraries.
          new Layer(
              "dev.concat.contract",
              List.of("dev.concat.contract"),
              List.of("java.", "io.temporal.", "com.fasterxml.jackson.annotation.")),
          new Layer(
              "dev.concat.workflows", List.of("dev.concat.contract", "dev.concat.workflows"), null),
          new Layer(
              "dev.concat.activities",
              List.of("dev.concat.contract", "dev.concat.activities"),
              null));

  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern CONCAT_NAME =
      Pattern.compile("\\bdev\\.concat\\.\\w+(?:\\.[a-z]\\w*)*");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void everyModuleKeepsToItsLayer() {
    List<Path> roots = moduleSourceRoots(Path.of(".."));
    assertTrue(
        roots.size() >= 4, "the contract, workflows, activities and worker-app sources: " + roots);
    assertEquals(List.of(), violations(roots));
  }

  @Test
  void aContractThatReachesIntoAnImplementationIsReported(@TempDir Path repo) throws IOException {
    write(
        repo.resolve("contract/src/main/java/dev/concat/contract/Leaky.java"),
        """
        package dev.concat.contract;

        import dev.concat.activities.storage.S3Clients;
        import software.amazon.awssdk.services.s3.S3Client;

        public record Leaky(dev.concat.workflows.JobDetails details) {}
        """);
    write(
        repo.resolve("workflows/src/main/java/dev/concat/workflows/Flow.java"),
        """
        package dev.concat.workflows;

        import dev.concat.contract.ConcatRequest;
        import dev.concat.activities.JobActivitiesImpl;
        """);

    List<String> found = violations(moduleSourceRoots(repo));

    assertEquals(4, found.size(), String.join("\n", found));
    assertTrue(
        found.get(0).contains("Leaky.java names dev.concat.activities.storage"), found.get(0));
    assertTrue(found.get(1).contains("Leaky.java names dev.concat.workflows"), found.get(1));
    assertTrue(found.get(2).contains("Leaky.java imports software.amazon.awssdk"), found.get(2));
    assertTrue(found.get(3).contains("Flow.java names dev.concat.activities"), found.get(3));
  }

  private static List<Path> moduleSourceRoots(Path repo) {
    try (Stream<Path> modules = Files.list(repo)) {
      return modules
          .map(m -> m.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(List<Path> roots) {
    List<String> found = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> check(f, found));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static void check(Path file, List<String> found) {
    String text = read(file);
    Matcher pkg = PACKAGE.matcher(text);
    if (!pkg.find()) {
      return;
    }
    String own = pkg.group(1);
    String body = text.substring(pkg.end());
    for (Layer layer : LAYERS) {
      if (!inPackage(own, layer.pkg())) {
        continue;
      }
      Matcher name = CONCAT_NAME.matcher(body);
      while (name.find()) {
        String named = name.group();
        if (layer.concatAllowed().stream().noneMatch(allowed -> inPackage(named, allowed))) {
          found.add(file + " names " + named + ", outside what " + layer.pkg() + " may reach");
        }
      }
      if (layer.importsAllowed() != null) {
        Matcher imported = IMPORT.matcher(body);
        while (imported.find()) {
          String named = imported.group(1);
          boolean library = !named.startsWith("dev.concat.");
          if (library && layer.importsAllowed().stream().noneMatch(named::startsWith)) {
            found.add(
                file
                    + " imports "
                    + named
                    + ": "
                    + layer.pkg()
                    + " may import only "
                    + layer.importsAllowed());
          }
        }
      }
    }
  }

  private static boolean inPackage(String name, String pkg) {
    return name.equals(pkg) || name.startsWith(pkg + ".");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
