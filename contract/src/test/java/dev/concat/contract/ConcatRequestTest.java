package dev.concat.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.concat.contract.audio.Chapter;
import dev.concat.contract.audio.Encoding;
import dev.concat.contract.audio.EpisodeMetadata;
import dev.concat.contract.audio.Loudness;
import dev.concat.contract.audio.SilenceTrim;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request as every client sends it: built by name, and carried as the same JSON as before the
 * builder.
 */
class ConcatRequestTest {
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  /** Every field set, each to a value unlike its default. */
  private static final ConcatRequest FULL =
      ConcatRequest.builder("ep-9")
          .segments(List.of("s3://raw/intro.mp3", "s3://raw/talk.mp3"))
          .output("s3://shows/ep-9.m4a")
          .allowStreamCopy(false)
          .timeouts(new JobTimeouts(900L, 20L, 300L, 600L, 300L, 15L, 4))
          .encoding(new Encoding(96, 48_000, 1))
          .loudness(new Loudness(-18.0, -1.5))
          .trimSilence(new SilenceTrim(-45.0))
          .gapMs(250)
          .crossfadeMs(0)
          .metadata(new EpisodeMetadata("Nine", "Ann", "The Show", 9, "s3://art/ep-9.png"))
          .chapters(List.of(new Chapter(0, "Intro"), new Chapter(1, "Talk")))
          .overwrite(true)
          .outputObject(
              new OutputObject(
                  "max-age=60",
                  "attachment; filename=\"ep-9.m4a\"",
                  "STANDARD_IA",
                  "aws:kms",
                  "alias/shows",
                  Map.of("show", "weekly"),
                  Map.of("episode", "9"),
                  "123456789012"))
          .build();

  /**
   * FULL as the shipped versions wrote it: these field names are the contract with every client.
   */
  private static final String FULL_JSON =
      """
      {"jobId": "ep-9", "segments": ["s3://raw/intro.mp3", "s3://raw/talk.mp3"], "output": "s3://shows/ep-9.m4a",
       "allowStreamCopy": false,
       "timeouts": {"maxProcessingSeconds": 900, "heartbeatSeconds": 20, "downloadSeconds": 300,
                    "concatSeconds": 600, "uploadSeconds": 300, "hostScheduleToStartSeconds": 15, "hostAttempts": 4},
       "encoding": {"bitrateKbps": 96, "sampleRate": 48000, "channels": 1},
       "loudness": {"integratedLufs": -18.0, "truePeakDb": -1.5},
       "trimSilence": {"thresholdDb": -45.0},
       "gapMs": 250, "crossfadeMs": 0,
       "metadata": {"title": "Nine", "artist": "Ann", "album": "The Show", "episode": 9, "cover": "s3://art/ep-9.png"},
       "chapters": [{"firstSegment": 0, "title": "Intro"}, {"firstSegment": 1, "title": "Talk"}],
       "overwrite": true,
       "outputObject": {"cacheControl": "max-age=60", "contentDisposition": "attachment; filename=\\"ep-9.m4a\\"",
                        "storageClass": "STANDARD_IA", "encryption": "aws:kms", "kmsKeyId": "alias/shows",
                        "tags": {"show": "weekly"}, "metadata": {"episode": "9"},
                        "expectedBucketOwner": "123456789012"}}
      """;

  @Test
  void theBuilderSetsEveryField() throws Exception {
    for (RecordComponent field : ConcatRequest.class.getRecordComponents()) {
      assertNotNull(
          field.getAccessor().invoke(FULL), field.getName() + " is not set by the builder");
    }
  }

  @Test
  void everyFieldTravelsThroughTheDataConverter() {
    ConcatRequest received = read(CONVERTER.toPayload(FULL).orElseThrow());

    assertEquals(FULL, received);
    assertEquals(Boolean.TRUE, received.overwrite());
    assertEquals(FULL.outputObject(), received.outputObject());
  }

  @Test
  void theWireFormIsTheShippedOne() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String sent =
        CONVERTER.toPayload(FULL).orElseThrow().getData().toString(StandardCharsets.UTF_8);

    assertEquals(json.readTree(FULL_JSON), json.readTree(sent));
    assertEquals(FULL, read(json(FULL_JSON)));
  }

  @Test
  void toBuilderKeepsEveryFieldItIsNotToldToChange() {
    ConcatRequest renamed = FULL.toBuilder().jobId("ep-10").build();

    assertEquals(FULL, FULL.toBuilder().build());
    assertEquals("ep-10", renamed.jobId());
    assertEquals(FULL, renamed.toBuilder().jobId("ep-9").build(), "only the job id changed");
  }

  @Test
  void anOldThreeFieldRequestReadsAsTheBuilderMakesIt() {
    ConcatRequest old =
        read(
            json(
                """
        {"jobId": "ep-1", "segments": ["s3://raw/a.mp3"], "output": "s3://shows/ep-1.mp3"}
        """));

    assertEquals(
        ConcatRequest.builder("ep-1")
            .segments(List.of("s3://raw/a.mp3"))
            .output("s3://shows/ep-1.mp3")
            .build(),
        old);
  }

  private static ConcatRequest read(Payload payload) {
    return CONVERTER.fromPayload(payload, ConcatRequest.class, ConcatRequest.class);
  }

  /** A payload carrying {@code text} as a client's JSON request. */
  private static Payload json(String text) {
    return CONVERTER.toPayload(FULL).orElseThrow().toBuilder()
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }
}
