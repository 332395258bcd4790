package dev.concat.activities.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chunk encoder is audio only: activities wrap it, so it must not know Temporal or S3. */
class ChunkPackageImportsTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/concat/activities/chunk");

  @Test
  void importsNeitherTemporalNorS3() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      List<String> offending =
          files
              .flatMap(ChunkPackageImportsTest::imports)
              .filter(
                  line ->
                      line.contains("io.temporal")
                          || line.contains("software.amazon")
                          || line.contains("dev.concat.activities.storage"))
              .toList();
      assertEquals(List.of(), offending);
    }
  }

  private static Stream<String> imports(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> line.startsWith("import "))
          .map(line -> file.getFileName() + ": " + line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
