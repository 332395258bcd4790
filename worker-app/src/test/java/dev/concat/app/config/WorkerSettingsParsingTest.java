package dev.concat.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.activities.chunk.ChunkedEncoding;
import dev.concat.app.command.DevCommand;
import dev.concat.app.temporal.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WorkerSettingsParsingTest {

  @TempDir Path temp;

  /**
   * The SDK reads ~/.config/temporalio/temporal.toml unless told otherwise; a developer's must not
   * count.
   */
  private Map<String, String> withoutConfigFile(Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>(env);
    all.put(
        "TEMPORAL_CONFIG_FILE",
        Files.writeString(temp.resolve("temporal.toml"), "# no profiles\n").toString());
    return all;
  }

  private static <T> T parse(T options, Map<String, String> environment, String... args) {
    new CommandLine(options)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(args);
    return options;
  }

  @Test
  void defaultsMatchTheDevStack() throws IOException {
    TemporalOptions temporal = parse(new TemporalOptions(), Map.of());
    S3Options s3 = parse(new S3Options(), Map.of());
    WorkerTuning tuning = parse(new WorkerTuning(), Map.of());

    assertEquals("127.0.0.1:7233", temporal.clientConfig(withoutConfigFile(Map.of())).address());
    assertEquals("default", temporal.clientConfig(withoutConfigFile(Map.of())).namespace());
    assertEquals("concat", temporal.taskQueue());
    assertEquals("http://127.0.0.1:9000", s3.endpoint());
    assertNull(s3.region(), "the AWS environment's region, else us-east-1");
    assertNull(s3.pathStyle());
    assertEquals(2, tuning.maxConcurrentJobs());
    assertEquals(Duration.ofSeconds(10), tuning.shutdownGrace());
    assertEquals(ChunkSpread.AUTO, tuning.chunkSpread(), "spread where another worker polls");
    assertTrue(tuning.chunkSlots().isEmpty(), "one chunk slot a core");
    assertEquals(
        ChunkedEncoding.DEFAULT_RUN_LENGTH,
        tuning.chunkedEncoding().runLength(),
        "the flag's default is the activities' own");
    assertEquals(ChunkedEncoding.DEFAULT, tuning.chunkedEncoding(), "MP3 one pass, M4A chunked");
  }

  @Test
  void chunkSettingsComeFromTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "CONCAT_CHUNK_SPREAD", "false",
            "CONCAT_CHUNK_SLOTS", "0",
            "CONCAT_CHUNK_RUN_SECONDS", "90",
            "CONCAT_M4A_CHUNK_MIN_SECONDS", "0",
            "CONCAT_CHUNK_CACHE_MIB", "0");

    WorkerTuning tuning = parse(new WorkerTuning(), env);
    WorkerTuning flagged = parse(new WorkerTuning(), env, "--chunk-slots", "3");

    assertEquals(ChunkSpread.NEVER, tuning.chunkSpread());
    assertEquals(0, tuning.chunkSlots().orElseThrow(), "a worker that only hosts jobs");
    assertEquals(3, flagged.chunkSlots().orElseThrow());
    assertEquals(Duration.ofSeconds(90), tuning.chunkedEncoding().runLength());
    assertEquals(Duration.ZERO, tuning.chunkedEncoding().m4aMinLength(), "M4A in one pass");
    assertEquals(
        Duration.ofSeconds(600),
        parse(new WorkerTuning(), env, "--m4a-chunk-min-seconds", "600")
            .chunkedEncoding()
            .m4aMinLength());
    assertEquals(0, tuning.chunkedEncoding().cacheBytes(), "no chunks kept after their jobs");
    assertEquals(
        64L << 20,
        parse(new WorkerTuning(), env, "--chunk-cache-mib", "64").chunkedEncoding().cacheBytes());
  }

  @Test
  void chunkSpreadIsAutoTrueOrFalse() {
    assertEquals(
        ChunkSpread.ALWAYS,
        parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SPREAD", "true")).chunkSpread());
    assertEquals(
        ChunkSpread.AUTO,
        parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SPREAD", "false"), "--chunk-spread", "Auto")
            .chunkSpread(),
        "the flag over the variable, in any case");
    var error =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SPREAD", "yes")));
    assertTrue(error.getMessage().contains("--chunk-spread"), error.getMessage());
    assertTrue(error.getMessage().contains("auto, true or false, not 'yes'"), error.getMessage());
    WorkerTuning never = parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SPREAD", "false"));
    assertFalse(config(never).activities().chunkSpread(), "false keeps every chunk on the host");
  }

  @Test
  void aWorkerWithoutChunkSlotsNeverStagesItsChunks() {
    WorkerTuning noSlots = parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SLOTS", "0"));
    WorkerTuning oneSlot = parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SLOTS", "1"));

    assertFalse(config(noSlots).activities().chunkSpread(), "nobody might encode what it stages");
    assertTrue(config(oneSlot).activities().chunkSpread());
  }

  private WorkerConfig config(WorkerTuning tuning) {
    return WorkerConfig.of(
        "concat",
        temp,
        HostIdentity.current(),
        "test-worker",
        tuning,
        new FfmpegBinaries(Path.of("ffmpeg"), Path.of("ffprobe")));
  }

  @Test
  void negativeChunkSlotsAreRefusedWithTheirName() {
    WorkerTuning tuning = parse(new WorkerTuning(), Map.of("CONCAT_CHUNK_SLOTS", "-1"));

    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WorkerConfig.of(
                    "concat",
                    temp,
                    HostIdentity.current(),
                    "test-worker",
                    tuning,
                    new FfmpegBinaries(Path.of("ffmpeg"), Path.of("ffprobe"))));

    assertTrue(
        error.getMessage().contains("--chunk-slots (CONCAT_CHUNK_SLOTS)"), error.getMessage());
  }

  @Test
  void devUsesAnExternalTemporalOnlyWhenItsFlagSaysSo() {
    Map<String, String> env = Map.of("TEMPORAL_ADDRESS", "127.0.0.1:7233");
    CommandLine fromEnvironment =
        new CommandLine(new DevCommand()).setDefaultValueProvider(new EnvironmentDefaults(env));
    fromEnvironment.parseArgs();
    CommandLine fromFlag =
        new CommandLine(new DevCommand()).setDefaultValueProvider(new EnvironmentDefaults(env));
    fromFlag.parseArgs("--temporal-address", "127.0.0.1:17233");

    assertNull(fromEnvironment.getCommandSpec().findOption("--temporal-address").getValue());
    assertEquals(
        "127.0.0.1:17233", fromFlag.getCommandSpec().findOption("--temporal-address").getValue());
  }

  @Test
  void environmentVariablesFillOptionsNotGiven() throws IOException {
    Map<String, String> env =
        Map.of(
            "TEMPORAL_ADDRESS", "temporal.internal:7233",
            "TEMPORAL_NAMESPACE", "podcasts",
            "CONCAT_TASK_QUEUE", "joins",
            "S3_ENDPOINT", "aws",
            "S3_PATH_STYLE", "false",
            "CONCAT_MAX_CONCURRENT_JOBS", "4",
            "CONCAT_SHUTDOWN_GRACE", "30s");

    TemporalOptions temporal = parse(new TemporalOptions(), env);
    S3Options s3 = parse(new S3Options(), env);
    WorkerTuning tuning = parse(new WorkerTuning(), env);

    assertEquals("temporal.internal:7233", temporal.clientConfig(withoutConfigFile(env)).address());
    assertEquals("podcasts", temporal.clientConfig(withoutConfigFile(env)).namespace());
    assertEquals("joins", temporal.taskQueue());
    assertEquals("aws", s3.endpoint());
    assertEquals(Boolean.FALSE, s3.pathStyle());
    assertEquals(4, tuning.maxConcurrentJobs());
    assertEquals(Duration.ofSeconds(30), tuning.shutdownGrace());
  }

  @Test
  void flagsWinOverEnvironment() throws IOException {
    Map<String, String> env =
        Map.of("TEMPORAL_ADDRESS", "from-env:7233", "CONCAT_MAX_CONCURRENT_JOBS", "4");

    TemporalOptions temporal =
        parse(new TemporalOptions(), env, "--temporal-address", "from-flag:7233");
    WorkerTuning tuning = parse(new WorkerTuning(), env, "--max-concurrent-jobs", "1");

    assertEquals("from-flag:7233", temporal.clientConfig(withoutConfigFile(env)).address());
    assertEquals(1, tuning.maxConcurrentJobs());
  }

  @Test
  void blankVariablesCountAsUnset() throws IOException {
    Map<String, String> env = withoutConfigFile(Map.of("TEMPORAL_ADDRESS", "  "));
    TemporalOptions temporal = parse(new TemporalOptions(), env);

    assertEquals("127.0.0.1:7233", temporal.clientConfig(env).address());
  }

  @Test
  void workerVersioningIsOffUnlessBothDeploymentAndBuildAreGiven() {
    assertTrue(parse(new WorkerVersioningOptions(), Map.of()).version().isEmpty());
    var version =
        parse(
                new WorkerVersioningOptions(),
                Map.of("TEMPORAL_DEPLOYMENT_NAME", "concat", "TEMPORAL_WORKER_BUILD_ID", "v7"),
                "--build-id",
                "v8")
            .version();
    var half =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                parse(new WorkerVersioningOptions(), Map.of("TEMPORAL_DEPLOYMENT_NAME", "concat"))
                    .version());

    assertEquals("concat", version.orElseThrow().getDeploymentName());
    assertEquals("v8", version.orElseThrow().getBuildId(), "the flag over the variable");
    assertTrue(half.getMessage().contains("TEMPORAL_WORKER_BUILD_ID"), half.getMessage());
  }

  @Test
  void badValuesFailWithTheOptionName() {
    var error =
        assertThrows(
            CommandLine.ParameterException.class,
            () -> parse(new WorkerTuning(), Map.of("CONCAT_SHUTDOWN_GRACE", "soon")));

    assertTrue(error.getMessage().contains("--shutdown-grace"), error.getMessage());
    assertTrue(error.getMessage().contains("'soon' is not a duration"), error.getMessage());
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertEquals(Duration.ofSeconds(10), DurationConverter.parse("10"));
    assertEquals(Duration.ofSeconds(10), DurationConverter.parse("10s"));
    assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
    assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
    assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
    assertEquals(Duration.ofSeconds(45), DurationConverter.parse("PT45S"));
  }
}
