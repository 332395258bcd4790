package dev.concat.app.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.ConcatRequest;
import dev.concat.contract.OutputObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `concat submit --overwrite` and a manifest's outputObject reach the request, through the audio
 * flags too.
 */
class SubmitOutputFlagsTest {
  @TempDir Path dir;

  private static ConcatRequest request(String... args) {
    SubmitCommand command = new SubmitCommand();
    new CommandLine(command).parseArgs(args);
    return command.plan().request();
  }

  @Test
  void overwriteIsOffUnlessAsked() {
    assertNull(
        request("--job-id", "ep-1", "--output", "s3://shows/ep-1.mp3", "s3://raw/a.mp3")
            .overwrite());
    assertEquals(
        Boolean.TRUE,
        request(
                "--job-id",
                "ep-1",
                "--output",
                "s3://shows/ep-1.mp3",
                "--overwrite",
                "--bitrate",
                "96",
                "s3://raw/a.mp3")
            .overwrite());
  }

  @Test
  void theManifestsOutputObjectAndOverwriteSurviveTheFlags() throws Exception {
    Path manifest =
        Files.writeString(
            dir.resolve("ep-2.json"),
            """
        {"jobId": "ep-2", "segments": ["s3://raw/a.mp3"], "output": "s3://shows/ep-2.mp3", "overwrite": true,
         "outputObject": {"cacheControl": "max-age=60", "storageClass": "STANDARD_IA", "encryption": "aws:kms",
                          "kmsKeyId": "alias/shows", "tags": {"show": "weekly"}, "metadata": {"episode": "2"}}}
        """);

    ConcatRequest request = request("--manifest", manifest.toString(), "--title", "Two");

    assertTrue(request.overwrite());
    assertEquals(
        new OutputObject(
            "max-age=60",
            null,
            "STANDARD_IA",
            "aws:kms",
            "alias/shows",
            Map.of("show", "weekly"),
            Map.of("episode", "2"),
            null),
        request.outputObject());
    assertEquals("Two", request.metadata().title());
  }
}
