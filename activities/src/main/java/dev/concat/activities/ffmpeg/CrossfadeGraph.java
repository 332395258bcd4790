package dev.concat.activities.ffmpeg;

import java.util.regex.Pattern;

/**
 * The {@code -filter_complex} graph that joins every input's audio, in input order, with a
 * crossfade of a fixed number of samples at each join.
 *
 * <p>The joins form a balanced tree: neighbours are crossfaded pairwise, then the results pairwise,
 * and so on. Every sample passes through each join above it: in a left-deep chain the first
 * segment's samples go through n-1 joins and on average a sample goes through n/2, so the work
 * grows with the square of the segment count (about 500 passes over the audio for 1,000 segments).
 * In the tree every sample goes through about log2(n) joins (10 for 1,000).
 */
public final class CrossfadeGraph {
  /**
   * Quarter-sine fades in and out: equal power, so two uncorrelated voices keep a steady loudness
   * through the join, where a linear fade dips by 3 dB in the middle.
   */
  private static final String CURVES = "c1=qsin:c2=qsin";

  /** Labels of the inner joins: {@code j<first>_<last>}, the inputs the join covers. */
  private static final Pattern INNER_LABEL = Pattern.compile("j\\d+_\\d+");

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]+");

  /**
   * The graph over inputs {@code [0:a]} to {@code [inputs-1:a]} with its result on {@code
   * [outputLabel]}. Its length in samples is the inputs' total minus {@code (inputs-1) *
   * overlapSamples}, provided every input is at least {@code overlapSamples} long: with a shorter
   * input FFmpeg 5.1's {@code acrossfade} drops audio, by an amount that depends on where in the
   * tree the input sits.
   */
  public static String filter(int inputs, long overlapSamples, String outputLabel) {
    if (inputs < 1) {
      throw new IllegalArgumentException("a crossfade needs at least one input, not " + inputs);
    }
    if (overlapSamples < 1) {
      throw new IllegalArgumentException(
          "the overlap must be at least one sample, not " + overlapSamples);
    }
    if (!LABEL.matcher(outputLabel).matches() || INNER_LABEL.matcher(outputLabel).matches()) {
      throw new IllegalArgumentException(
          "unusable output label '"
              + outputLabel
              + "': letters, digits and _ only,"
              + " and not of the form j<n>_<n>, which names the inner joins");
    }
    if (inputs == 1) {
      return "[0:a]anull[" + outputLabel + "]";
    }
    var graph = new StringBuilder();
    join(graph, 0, inputs - 1, overlapSamples, outputLabel);
    return graph.toString();
  }

  /** Appends the joins of inputs {@code first..last} and returns the label that carries them. */
  private static String join(
      StringBuilder graph, int first, int last, long overlapSamples, String label) {
    if (first == last) {
      return first + ":a";
    }
    // The left half takes the extra input of an odd count; either way the depth is ceil(log2(n)).
    int middle = first + (last - first) / 2;
    String left = join(graph, first, middle, overlapSamples, "j" + first + "_" + middle);
    String right = join(graph, middle + 1, last, overlapSamples, "j" + (middle + 1) + "_" + last);
    if (!graph.isEmpty()) {
      graph.append(';');
    }
    graph
        .append('[')
        .append(left)
        .append("][")
        .append(right)
        .append("]acrossfade=ns=")
        .append(overlapSamples)
        .append(':')
        .append(CURVES)
        .append('[')
        .append(label)
        .append(']');
    return label;
  }

  private CrossfadeGraph() {}
}
