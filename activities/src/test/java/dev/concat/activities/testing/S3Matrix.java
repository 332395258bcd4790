package dev.concat.activities.testing;

import dev.concat.activities.testing.ExternalS3Server.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The S3 implementations every compatibility test runs against, each started on first use and
 * shared by the test class that holds this matrix; {@link #close()} stops them.
 */
public final class S3Matrix implements AutoCloseable {
  /** The servers' names, for {@code @MethodSource}. */
  public static final List<String> SERVERS = List.of("s3proxy", "moto", "minio");

  private final Map<String, S3Endpoint> started = new LinkedHashMap<>();

  public synchronized S3Endpoint server(String name) {
    return started.computeIfAbsent(name, S3Matrix::start);
  }

  private static S3Endpoint start(String name) {
    return switch (name) {
      case "s3proxy" -> {
        try {
          yield S3TestServer.startNow();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      case "moto" -> ExternalS3Server.start(Kind.MOTO);
      case "minio" -> ExternalS3Server.start(Kind.MINIO);
      default -> throw new IllegalArgumentException("no S3 server named " + name);
    };
  }

  @Override
  public synchronized void close() {
    started.values().forEach(S3Endpoint::close);
    started.clear();
  }
}
