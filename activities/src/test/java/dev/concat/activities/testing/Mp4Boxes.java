package dev.concat.activities.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads, straight from an M4A's bytes, what a gapless player reads: the sound track's edit list (in
 * the movie's timescale) and the iTunes {@code iTunSMPB} tag. Written apart from the product's MP4
 * code, so a shared mistake cannot pass both.
 *
 * @param movieTimescale units per second of the edit list
 * @param editMediaTime where the edit starts in the track, in samples (the priming)
 * @param editDuration how long the edit plays, in movie units
 * @param itunSmpb the tag's value, or null without one
 */
public record Mp4Boxes(
    long movieTimescale, long editMediaTime, long editDuration, String itunSmpb) {
  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "edts", "udta", "ilst");

  /** iTunSMPB's fields: priming, padding and the original sample count, in hex. */
  public long[] smpbPrimingPaddingSamples() {
    String[] fields = itunSmpb.trim().split("\\s+");
    return new long[] {
      Long.parseLong(fields[1], 16), Long.parseLong(fields[2], 16), Long.parseLong(fields[3], 16)
    };
  }

  public static Mp4Boxes read(Path file) {
    try {
      var found = new Mp4Boxes[] {new Mp4Boxes(0, -1, -1, null)};
      walk(ByteBuffer.wrap(Files.readAllBytes(file)), found, false);
      return found[0];
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void walk(ByteBuffer data, Mp4Boxes[] found, boolean inSoundTrack) {
    int at = data.position();
    while (at + 8 <= data.limit()) {
      long size = Integer.toUnsignedLong(data.getInt(at));
      String type = fourCc(data, at + 4);
      int header = 8;
      if (size == 1) {
        size = data.getLong(at + 8);
        header = 16;
      } else if (size == 0) {
        size = data.limit() - at;
      }
      ByteBuffer body = data.duplicate().position(at + header).limit((int) (at + size));
      Mp4Boxes f = found[0];
      switch (type) {
        case "mvhd" ->
            found[0] =
                new Mp4Boxes(
                    body.getInt(body.position() + (body.get(body.position()) == 1 ? 20 : 12)),
                    f.editMediaTime,
                    f.editDuration,
                    f.itunSmpb);
        case "trak" -> walk(body, found, isSound(body));
        case "elst" -> {
          if (inSoundTrack) {
            int p = body.position();
            boolean v1 = body.get(p) == 1;
            found[0] =
                new Mp4Boxes(
                    f.movieTimescale,
                    v1 ? body.getLong(p + 16) : body.getInt(p + 12),
                    v1 ? body.getLong(p + 8) : Integer.toUnsignedLong(body.getInt(p + 8)),
                    f.itunSmpb);
          }
        }
        case "meta" -> walk(body.position(body.position() + 4), found, inSoundTrack);
        case "----" -> readFreeform(body, found);
        default -> {
          if (CONTAINERS.contains(type)) {
            walk(body, found, inSoundTrack);
          }
        }
      }
      at += (int) size;
    }
  }

  /** A ---- item: mean, name and data boxes; keeps iTunSMPB's text. */
  private static void readFreeform(ByteBuffer item, Mp4Boxes[] found) {
    String name = null;
    String value = null;
    for (int at = item.position(); at + 8 <= item.limit(); ) {
      int size = item.getInt(at);
      String type = fourCc(item, at + 4);
      if (type.equals("name")) {
        name = new String(item.array(), at + 12, size - 12, StandardCharsets.UTF_8);
      } else if (type.equals("data")) {
        value = new String(item.array(), at + 16, size - 16, StandardCharsets.UTF_8);
      }
      at += size;
    }
    if ("iTunSMPB".equals(name)) {
      Mp4Boxes f = found[0];
      found[0] = new Mp4Boxes(f.movieTimescale, f.editMediaTime, f.editDuration, value);
    }
  }

  /** Whether a trak's handler (mdia/hdlr) is "soun". */
  private static boolean isSound(ByteBuffer trak) {
    byte[] bytes = new byte[trak.remaining()];
    trak.duplicate().get(bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int hdlr = text.indexOf("hdlr");
    return hdlr >= 0 && text.startsWith("soun", hdlr + 12);
  }

  private static String fourCc(ByteBuffer data, int at) {
    byte[] type = new byte[4];
    data.duplicate().position(at).get(type);
    return new String(type, StandardCharsets.ISO_8859_1);
  }
}
