package dev.concat.app.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concat.contract.ConcatResult;
import dev.concat.contract.ConcatStatus;
import dev.concat.contract.audio.MeasuredAudio;
import java.util.Locale;

/** A job status as one JSON line (for scripts) or as a small table (for people). */
public final class StatusFormat {
  static final ObjectMapper JSON = new ObjectMapper();

  private StatusFormat() {}

  public static String json(ConcatStatus status) {
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status record always serializes", e);
    }
  }

  public static String table(ConcatStatus s) {
    StringBuilder out = new StringBuilder();
    row(out, "job", s.jobId());
    if (ConcatStatus.SERVER_VIEW.equals(s.view())) {
      row(out, "view", "the Temporal server's record (" + s.viewReason() + ")");
    }
    row(out, "state", s.state() + (s.attempt() > 0 ? " (attempt " + s.attempt() + ")" : ""));
    row(out, "worker", orDash(s.worker()));
    row(
        out,
        "segments",
        s.segmentsTotal()
            + " total, "
            + s.segmentsDownloaded()
            + " downloaded, "
            + s.segmentsConcatenated()
            + " concatenated");
    row(out, "uploaded", bytes(s.bytesUploaded()));
    row(out, "started", orDash(s.startedAt()));
    row(out, "work began", orDash(s.workStartedAt()));
    row(out, "last progress", orDash(s.lastProgressAt()));
    row(out, "last error", orDash(s.lastError()));
    if (s.result() != null) {
      ConcatResult r = s.result();
      row(out, "output", r.output());
      row(out, "duration", String.format(Locale.ROOT, "%.2f s", r.durationSeconds()));
      row(out, "size", bytes(r.sizeBytes()));
      row(out, "mode", r.mode());
      row(
          out,
          "phases",
          String.format(
              Locale.ROOT,
              "download %.1f s, concat %.1f s, upload %.1f s",
              r.downloadSeconds(),
              r.concatSeconds(),
              r.uploadSeconds()));
      if (r.audio() != null) {
        row(out, "audio", audio(r.audio()));
      }
    }
    return out.toString();
  }

  /**
   * The measured output in one line, for example {@code mp3, 44100 Hz, stereo, 128 kb/s; -16.0
   * LUFS, -1.2 dBTP, LRA 3.1 LU; 4 chapters; gain +5.3 dB}; chapters and gain only when there are
   * any.
   */
  public static String audio(MeasuredAudio a) {
    StringBuilder line =
        new StringBuilder(orDash(a.codec()))
            .append(", ")
            .append(a.sampleRate())
            .append(" Hz, ")
            .append(channels(a.channels()));
    if (a.bitRate() > 0) {
      line.append(", ").append(Math.round(a.bitRate() / 1000.0)).append(" kb/s");
    }
    line.append(
        String.format(
            Locale.ROOT,
            "; %.1f LUFS, %.1f dBTP, LRA %.1f LU",
            a.integratedLufs(),
            a.truePeakDb(),
            a.loudnessRangeLu()));
    if (a.chapters() > 0) {
      line.append("; ").append(a.chapters()).append(a.chapters() == 1 ? " chapter" : " chapters");
    }
    if (a.gainDb() != null) {
      line.append(String.format(Locale.ROOT, "; gain %+.1f dB", a.gainDb()));
    }
    return line.toString();
  }

  private static String channels(int count) {
    return switch (count) {
      case 1 -> "mono";
      case 2 -> "stereo";
      default -> count + " channels";
    };
  }

  /** The one-line label a progress view shows next to the bar. */
  public static String progressLabel(ConcatStatus s) {
    String where = s.worker() == null ? "" : " on " + s.worker();
    String attempt = s.attempt() > 1 ? " attempt " + s.attempt() : "";
    String view =
        ConcatStatus.SERVER_VIEW.equals(s.view()) ? " (server's view: " + s.viewReason() + ")" : "";
    return s.state() + attempt + where + view;
  }

  static String bytes(long count) {
    if (count < 1024) {
      return count + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], count);
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "%-14s %s%n", name, value));
  }

  private static String orDash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
