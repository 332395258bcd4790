package dev.concat.bench;

import dev.concat.contract.OutputFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * One data set of the benchmark: segment files on local disk, in playing order.
 *
 * @param name A, B or C
 * @param description what the segments are, for the report
 * @param audioSeconds the nominal length of all segments together
 * @param mixedFormats whether the segments differ in codec, rate or channels (concat decodes them
 *     to PCM first)
 * @param format what both ways join them into
 */
public record DataSet(
    String name,
    String description,
    List<Path> files,
    double audioSeconds,
    boolean mixedFormats,
    OutputFormat format) {

  public DataSet {
    files = List.copyOf(files);
  }

  public int segments() {
    return files.size();
  }

  /** The first few segments: what the warm-up jobs join. */
  DataSet head(int count) {
    List<Path> first = files.subList(0, Math.min(count, files.size()));
    return new DataSet(
        name, description, first, audioSeconds * first.size() / files.size(), mixedFormats, format);
  }
}
