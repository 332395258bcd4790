package dev.concat.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * A loudness meter the product does not use: pyloudnorm (BS.1770-4) through the script {@code
 * independent_meter.py}, with FFmpeg only decoding. Needs python3 with pyloudnorm and scipy ({@code
 * .ci/run} installs them).
 *
 * @param integratedLufs integrated loudness; -1000 for silence
 * @param truePeakDb 4x oversampled peak; -1000 for silence
 * @param loudnessRangeLu EBU Tech 3342 loudness range
 * @param samples sample frames FFmpeg decodes
 * @param sampleRate the decoded rate
 */
public record IndependentMeter(
    double integratedLufs,
    double truePeakDb,
    double loudnessRangeLu,
    long samples,
    int sampleRate) {

  public static IndependentMeter measure(Path file) {
    try {
      Path script =
          Path.of(
              IndependentMeter.class
                  .getResource("/dev/concat/activities/independent_meter.py")
                  .toURI());
      JsonNode json =
          new ObjectMapper()
              .readTree(Command.stdout(List.of("python3", script.toString(), file.toString())));
      return new IndependentMeter(
          json.get("integratedLufs").asDouble(),
          json.get("truePeakDb").asDouble(),
          json.get("loudnessRangeLu").asDouble(),
          json.get("samples").asLong(),
          json.get("sampleRate").asInt());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("the independent meter failed on " + file, e);
    }
  }
}
