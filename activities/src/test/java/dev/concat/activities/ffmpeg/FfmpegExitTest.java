package dev.concat.activities.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.FailureType;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class FfmpegExitTest {

  @Test
  void killedBySigkillPointsAtTheOomKiller() {
    ApplicationFailure failure = new FfmpegExit(137, "").toFailure("j1");
    assertEquals(FailureType.FFMPEG_KILLED.type(), failure.getType());
    assertFalse(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().startsWith("job j1: FFmpeg was killed by SIGKILL (9)"));
    assertTrue(failure.getOriginalMessage().contains("OOM killer"));
  }

  @Test
  void ffmpegsOwnSignalExitIsAKill() {
    ApplicationFailure failure =
        new FfmpegExit(255, "Exiting normally, received signal 15.").toFailure("j1");
    assertEquals(FailureType.FFMPEG_KILLED.type(), failure.getType());
    assertTrue(failure.getOriginalMessage().contains("received signal 15"));
  }

  @Test
  void otherExitCodesAreFailuresWithStderr() {
    ApplicationFailure failure =
        new FfmpegExit(1, "list.txt: No such file or directory").toFailure("j1");
    assertEquals(FailureType.FFMPEG_FAILED.type(), failure.getType());
    assertEquals(
        "job j1: FFmpeg failed with exit code 1; stderr: list.txt: No such file or directory",
        failure.getOriginalMessage());
  }
}
