package dev.concat.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.testing.Command;
import dev.concat.activities.testing.GeneratedAudio;
import dev.concat.activities.testing.GeneratedAudio.Part;
import dev.concat.activities.testing.IndependentMeter;
import dev.concat.activities.testing.JobActivitiesHarness;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.activities.testing.TestSettings;
import dev.concat.contract.ConcatInput;
import dev.concat.contract.ConcatOutput;
import dev.concat.contract.DownloadInput;
import dev.concat.contract.UploadInput;
import dev.concat.contract.audio.AudioSpec;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.Loudness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normalised job long enough to probe (four minutes or more) learns what its encoder takes off
 * this programme's loudness from excerpts, so its one encode (an M4A's in chunks, each encoder as
 * fresh as an excerpt's) lands on the target: pink noise through AAC, which the fixed table puts at
 * no drop (the 20 s pink-noise M4A job of {@link LoudnessTargetTest} misses by about 0.46 LU and is
 * encoded again). Measured from outside by pyloudnorm. A shorter job is not probed.
 */
class EncoderDropProbeTest {
  @RegisterExtension static final S3TestServer s3 = new S3TestServer();

  private static final String SPEECH =
      "Welcome back to the show. Today we talk about how audio files are joined,"
          + " measured and delivered. Loudness matters, because a distributor measures every file it"
          + " receives.";

  /** What the product aims at (LinearGain's tolerance), within the ±0.1 LU asked for. */
  private static final double ON_TARGET_LU = 0.05;

  @TempDir Path temp;
  JobActivitiesHarness harness;
  Path commands;

  @BeforeEach
  void start() throws IOException {
    commands = temp.resolve("ffmpeg.commands");
    Files.writeString(commands, "");
    Path script = temp.resolve("bin").resolve("ffmpeg.sh");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + commands + "\nffmpeg \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    harness =
        new JobActivitiesHarness(
            TestSettings.withFfmpeg(temp.resolve("work"), script), s3, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void fourMinutesOfPinkNoiseToM4aAreEncodedOnceOnTarget() throws IOException {
    Path noise =
        GeneratedAudio.make(
            GeneratedAudio.pinkNoise(temp.resolve("noise.flac"), 250, 0.3, 0, 44_100));

    Path fetched = run("noise", noise, "m4a", -16);

    IndependentMeter meter = IndependentMeter.measure(fetched);
    assertEquals(-16, meter.integratedLufs(), ON_TARGET_LU, "pyloudnorm: " + meter);
    assertEquals(4, encodes("aac", "excerpt-"), "excerpts encoded to probe the encoder");
    // By default an M4A this long is encoded in chunks, which one copy puts in the file.
    assertTrue(encodes("aac", "-f adts") > 1, "encoded in chunks");
    assertEquals(1, commands("-c:a copy", "output.partial.m4a"), "encodes of the join");
  }

  /**
   * Mono segments to a stereo output: the first pass meters and keeps its excerpts in mono, and the
   * probe mixes them up as the join is mixed before its gain, so the one encode still lands.
   */
  @Test
  void monoSpeechToStereoMp3IsMeteredInMonoAndEncodedOnceOnTarget() throws IOException {
    Path fetched = run("mono", speech(250), "mp3", -16);

    IndependentMeter meter = IndependentMeter.measure(fetched);
    assertEquals(-16, meter.integratedLufs(), ON_TARGET_LU, "pyloudnorm: " + meter);
    assertEquals(1, commands("joined.meter.wav", "channel_layouts=mono"), "a mono first pass");
    assertEquals(4, encodes("libmp3lame", "excerpt-"), "excerpts encoded to probe the encoder");
    assertEquals(
        4, commands("excerpt-", "channel_layouts=stereo"), "excerpts mixed up before their gain");
    assertEquals(1, encodes("libmp3lame", "output.partial.mp3"), "encodes of the join");
  }

  @Test
  void aShortJobIsNotProbed() throws IOException {
    run("short", speech(40), "mp3", -16);

    assertEquals(0, encodes("libmp3lame", "excerpt-"), "excerpts encoded");
  }

  /** One segment of espeak-ng speech looped to {@code seconds}. */
  private Path speech(int seconds) {
    Path wav = temp.resolve("espeak-" + seconds + ".wav");
    Command.stdout(List.of("espeak-ng", "-s", "160", "-w", wav.toString(), SPEECH));
    return GeneratedAudio.make(
        new Part(
            temp.resolve("speech-" + seconds + ".flac"),
            // A finite loop: lavfi's input never ends on an endless one, whatever trims it.
            "amovie=" + wav + ":loop=" + (seconds / 4 + 1) + ",atrim=duration=" + seconds,
            22_050,
            1));
  }

  private Path run(String jobId, Path segment, String extension, double lufs) {
    String key = "out/" + jobId + "." + extension;
    String output = "s3://" + S3TestServer.BUCKET + "/" + key;
    List<String> segments = List.of(s3.put(jobId + "/" + segment.getFileName(), segment));
    var audio =
        new AudioSpec(
            new Encoding(128, 44_100, 2), new Loudness(lufs, -1.0), null, 0, 0, null, List.of());
    var jobs = harness.stub();
    jobs.download(new DownloadInput(jobId, segments, output, null, null));
    ConcatOutput joined = jobs.concat(new ConcatInput(jobId, segments, output, false, audio));
    assertNull(joined.audio().loudnessShortfall(), joined.audio().toString());
    jobs.upload(new UploadInput(jobId, output));
    return s3.get(key, temp.resolve(jobId + "-fetched." + extension));
  }

  /** Commands FFmpeg ran whose line holds both {@code what} and {@code also}. */
  private long commands(String what, String also) throws IOException {
    return Files.readAllLines(commands).stream()
        .filter(line -> line.contains(what) && line.contains(also))
        .count();
  }

  /** Encodes by {@code encoder} that FFmpeg ran whose command line names {@code what}. */
  private long encodes(String encoder, String what) throws IOException {
    return Files.readAllLines(commands).stream()
        .filter(line -> line.contains("-c:a " + encoder + " ") && line.contains(what))
        .count();
  }
}
