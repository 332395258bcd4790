package dev.concat.activities.loudness;

import dev.concat.activities.testing.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generated programme (a WAV file) cut the way a chunked encode cuts it: chunk i owns [edges[i],
 * edges[i+1]) and its file starts {@code preRoll} samples earlier and ends {@code postRoll} samples
 * later, clipped to the programme. FFmpeg's {@code atrim} cuts to the sample.
 *
 * @param whole the programme
 * @param sampleRate its rate
 * @param chunks the chunk files, in order
 * @param spans where each chunk lies on the programme's timeline
 */
record ChunkedProgramme(Path whole, int sampleRate, List<Path> chunks, List<ChunkSpan> spans) {

  /**
   * Makes {@code seconds} of the lavfi expression(s) {@code exprs} (channels separated by |),
   * through {@code filters} (or "anull"), as 16-bit PCM.
   */
  static Path generate(Path file, String exprs, String filters, int sampleRate, double seconds) {
    Command.stdout(
        List.of(
            "ffmpeg",
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            String.format(
                Locale.ROOT, "aevalsrc='%s':s=%d:d=%s,%s", exprs, sampleRate, seconds, filters),
            "-c:a",
            "pcm_s16le",
            file.toString()));
    return file;
  }

  /**
   * @param edges the owned spans' edges in samples: 0, the inner edges, the programme's length
   */
  static ChunkedProgramme cut(
      Path whole, int sampleRate, long[] edges, long preRoll, long postRoll, Path dir) {
    List<ChunkSpan> spans = new ArrayList<>();
    var graph = new StringBuilder("[0:a]asplit=" + (edges.length - 1));
    for (int i = 0; i + 1 < edges.length; i++) {
      graph.append("[s").append(i).append(']');
    }
    List<String> command =
        new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-v", "error", "-i", whole.toString()));
    List<String> outputs = new ArrayList<>();
    List<Path> chunks = new ArrayList<>();
    for (int i = 0; i + 1 < edges.length; i++) {
      long start = Math.max(0, edges[i] - preRoll);
      long end = Math.min(edges[edges.length - 1], edges[i + 1] + postRoll);
      spans.add(new ChunkSpan(start, edges[i], edges[i + 1]));
      graph.append(
          String.format(
              Locale.ROOT, ";[s%d]atrim=start_sample=%d:end_sample=%d[c%d]", i, start, end, i));
      Path chunk = dir.resolve("chunk-" + i + ".wav");
      chunks.add(chunk);
      outputs.addAll(List.of("-map", "[c" + i + "]", "-c:a", "pcm_s16le", chunk.toString()));
    }
    command.addAll(List.of("-filter_complex", graph.toString()));
    command.addAll(outputs);
    Command.stdout(command);
    return new ChunkedProgramme(whole, sampleRate, chunks, spans);
  }

  /**
   * FFmpeg's ebur128 over the whole programme: the integrated loudness it exports with three
   * decimals.
   */
  double ffmpegIntegratedLufs() {
    String frames =
        Command.stdout(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-i",
                whole.toString(),
                "-af",
                "ebur128=metadata=1:framelog=verbose,ametadata=print:key=lavfi.r128.I:file=-",
                "-f",
                "null",
                "-"));
    String last =
        frames
            .lines()
            .filter(line -> line.startsWith("lavfi.r128.I="))
            .reduce((a, b) -> b)
            .orElseThrow();
    return Double.parseDouble(last.substring(last.indexOf('=') + 1));
  }
}
