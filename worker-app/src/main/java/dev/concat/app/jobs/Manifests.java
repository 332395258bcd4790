package dev.concat.app.jobs;

import com.fasterxml.jackson.core.JacksonException;
import dev.concat.workflows.ConcatRequest;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a job manifest: a JSON file with the fields of {@link ConcatRequest}. */
public final class Manifests {
  private Manifests() {}

  public static ConcatRequest read(Path manifest) {
    try {
      ConcatRequest request = StatusFormat.JSON.readValue(manifest.toFile(), ConcatRequest.class);
      if (request == null) {
        throw new IllegalArgumentException("manifest " + manifest + " is empty");
      }
      return request;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("manifest " + manifest + " is not a valid job: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read manifest " + manifest + ": " + e.getMessage(), e);
    }
  }
}
