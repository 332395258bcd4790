package dev.concat.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concat.contract.ConcatRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest someone else wrote may name only files in its own folder. */
class ManifestsTest {
  @TempDir Path dir;

  @Test
  void pathsInsideTheManifestsFolderAreRead() throws IOException {
    Path show = Files.createDirectories(dir.resolve("show"));
    Files.createDirectories(show.resolve("parts"));
    Path manifest =
        Files.writeString(
            show.resolve("job.json"),
            """
        {"jobId": "ep-1", "segments": ["parts/intro.mp3", "./parts/../outro.mp3", "s3://raw/ad.mp3"],
         "output": "s3://shows/ep-1.mp3", "metadata": {"cover": "cover.jpg"}}
        """);

    ConcatRequest request = Manifests.read(manifest);

    assertEquals(
        List.of("parts/intro.mp3", "./parts/../outro.mp3", "s3://raw/ad.mp3"), request.segments());
  }

  @Test
  void aPathEscapingTheFolderByDotsAbsoluteOrSymlinkIsRefusedNamingEach() throws IOException {
    Path show = Files.createDirectories(dir.resolve("show"));
    Path secret = Files.writeString(dir.resolve("id_rsa"), "private key");
    Files.createSymbolicLink(show.resolve("link.mp3"), secret);
    Path manifest =
        Files.writeString(
            show.resolve("job.json"),
            """
        {"jobId": "ep-1", "segments": ["../id_rsa", "%s", "link.mp3", "ok.mp3"],
         "output": "s3://shows/ep-1.mp3", "metadata": {"cover": "/etc/passwd"}}
        """
                .formatted(secret));

    var refused = assertThrows(IllegalArgumentException.class, () -> Manifests.read(manifest));

    assertEquals(
        "manifest "
            + manifest
            + ": segment 0 '../id_rsa' is outside the manifest's folder "
            + show
            + "; segment 1 '"
            + secret
            + "' is outside the manifest's folder "
            + show
            + "; segment 2 'link.mp3' is outside the manifest's folder "
            + show
            + "; cover '/etc/passwd' is outside the manifest's folder "
            + show,
        refused.getMessage());
  }
}
