package dev.concat.activities.ffmpeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Drains a process's stderr on its own thread (a full pipe would block the process) and keeps the
 * last lines, which name the reason when FFmpeg fails.
 */
final class StreamTail {
  /** Enough for FFmpeg's reason, and for the loudness meter's summary at the end of a run. */
  private static final int MAX_LINES = 40;

  private static final int MAX_LINE_CHARS = 500;

  private final Deque<String> lines = new ArrayDeque<>();
  private final Thread reader;

  StreamTail(InputStream stream, String threadName) {
    reader = new Thread(() -> drain(stream), threadName);
    reader.setDaemon(true);
    reader.start();
  }

  private void drain(InputStream stream) {
    try (var in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
      }
    } catch (IOException e) {
      // The process was killed and its pipe closed; what was read so far is the tail.
    }
  }

  private synchronized void add(String line) {
    if (lines.size() == MAX_LINES) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  /**
   * Waits briefly for the stream to end (the process has exited), then returns the kept lines, one
   * per line.
   */
  String text() {
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      return String.join("\n", lines);
    }
  }
}
