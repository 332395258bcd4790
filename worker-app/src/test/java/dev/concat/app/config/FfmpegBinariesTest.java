package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FfmpegBinariesTest {
  @TempDir Path dir;

  private static Path executable(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static FfmpegOptions options(Map<String, String> environment) {
    FfmpegOptions options = new FfmpegOptions();
    new CommandLine(options)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs();
    return options;
  }

  @Test
  void findsBothOnThePath() throws IOException {
    Path first = dir.resolve("first");
    Files.createDirectories(first);
    Path ffmpeg = executable(dir.resolve("second/ffmpeg"));
    Path ffprobe = executable(dir.resolve("second/ffprobe"));

    FfmpegBinaries found =
        FfmpegBinaries.locate(options(Map.of()), first + File.pathSeparator + ffmpeg.getParent());

    assertEquals(new FfmpegBinaries(ffmpeg, ffprobe), found);
  }

  @Test
  void ffprobeIsTakenFromBesideAnExplicitFfmpeg() throws IOException {
    Path ffmpeg = executable(dir.resolve("bundled/ffmpeg"));
    Path ffprobe = executable(dir.resolve("bundled/ffprobe"));
    executable(dir.resolve("path/ffprobe"));

    FfmpegBinaries found =
        FfmpegBinaries.locate(
            options(Map.of("FFMPEG_PATH", ffmpeg.toString())), dir.resolve("path").toString());

    assertEquals(new FfmpegBinaries(ffmpeg, ffprobe), found);
  }

  @Test
  void missingFfmpegSaysWhatToInstall() {
    var error =
        assertThrows(
            FfmpegBinaries.MissingToolException.class,
            () -> FfmpegBinaries.locate(options(Map.of()), dir.toString()));

    assertTrue(error.getMessage().contains("ffmpeg was not found on the PATH"), error.getMessage());
    assertTrue(error.getMessage().contains("apt-get install ffmpeg"), error.getMessage());
    assertTrue(error.getMessage().contains("FFMPEG_PATH"), error.getMessage());
  }

  @Test
  void anExplicitPathThatIsNotExecutableIsNamed() {
    Path missing = dir.resolve("nope/ffmpeg");

    var error =
        assertThrows(
            FfmpegBinaries.MissingToolException.class,
            () -> FfmpegBinaries.locate(options(Map.of("FFMPEG_PATH", missing.toString())), ""));

    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
  }
}
