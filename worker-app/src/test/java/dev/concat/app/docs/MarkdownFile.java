package dev.concat.app.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Markdown file of the manual, read the way GitHub renders its links and headings. */
record MarkdownFile(Path path, List<String> lines) {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
  private static final Pattern EXPLICIT_ANCHOR = Pattern.compile("<a id=\"([^\"]+)\">");

  static MarkdownFile read(Path path) {
    try {
      return new MarkdownFile(path, Files.readAllLines(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String text() {
    return String.join("\n", lines);
  }

  /** Link targets outside code blocks, as written (relative, absolute or with a scheme). */
  List<String> links() {
    List<String> links = new ArrayList<>();
    for (String line : prose()) {
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        links.add(link.group(1));
      }
    }
    return links;
  }

  /** The fragments a link may name: GitHub's slug of every heading, and explicit anchors. */
  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    for (String line : prose()) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        anchors.add(
            heading
                .group(1)
                .strip()
                .toLowerCase()
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-'));
      }
      Matcher anchor = EXPLICIT_ANCHOR.matcher(line);
      while (anchor.find()) {
        anchors.add(anchor.group(1));
      }
    }
    return anchors;
  }

  /** The rows of the table whose header line is {@code header}, without header and separator. */
  List<String[]> tableRows(String header) {
    int start = lines.indexOf(header);
    if (start < 0) {
      throw new AssertionError(path + " has no table headed " + header);
    }
    List<String[]> rows = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i).split("\\|"));
    }
    return rows;
  }

  /** Lines outside fenced code blocks: a "# comment" in a shell example is not a heading. */
  private List<String> prose() {
    List<String> prose = new ArrayList<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced) {
        prose.add(line);
      }
    }
    return prose;
  }
}
