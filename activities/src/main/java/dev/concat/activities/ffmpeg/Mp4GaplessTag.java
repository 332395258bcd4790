package dev.concat.activities.ffmpeg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes an M4A that FFmpeg's MP4 muxer wrote gapless for every player: its audio track's edit list
 * holds the encoder's priming and the exact number of input samples (FFmpeg 5.1 writes the length
 * in the movie's timescale, exact only when that is the sample rate, which the join asks for;
 * checked here), and an iTunes {@code iTunSMPB} tag says the same with the end padding, for players
 * that read that instead. Both come from the sample table: its durations add up to the priming plus
 * the input (the encoder gives the last frame its real length); its frames times the frame size add
 * the padding. Works on a file whose index is at the front ({@code +faststart}), shifting the chunk
 * offsets by what the tag adds.
 */
final class Mp4GaplessTag {
  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "udta");
  private static final int HEADER = 8;

  /** What the sample table says about the audio track. */
  record Gapless(long priming, long samples, long padding, int sampleRate) {
    /** The iTunSMPB value: zero, priming, padding, the sample count, then eight zero fields. */
    String itunSmpb() {
      return String.format(
          Locale.ROOT,
          " %08X %08X %08X %016X" + " %08X".repeat(8),
          0,
          priming,
          padding,
          samples,
          0,
          0,
          0,
          0,
          0,
          0,
          0,
          0);
    }
  }

  private Mp4GaplessTag() {}

  /**
   * Rewrites {@code file} in place (through a sibling temporary file) and returns what it wrote.
   */
  static Gapless apply(Path file) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".gapless");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                temp,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
      long moovAt = -1;
      long moovSize = 0;
      boolean mdatFirst = false;
      for (long at = 0; at < in.size(); ) {
        ByteBuffer header = read(in, at, HEADER);
        long size = Integer.toUnsignedLong(header.getInt(0));
        String type = type(header);
        if (size == 1) {
          size = read(in, at + HEADER, 8).getLong(0);
        } else if (size == 0) {
          size = in.size() - at;
        }
        if (size < HEADER) {
          throw new IOException(file + ": a top-level box of " + size + " bytes at " + at);
        }
        if (type.equals("moov")) {
          moovAt = at;
          moovSize = size;
        } else if (type.equals("mdat") && moovAt < 0) {
          mdatFirst = true;
        }
        at += size;
      }
      if (moovAt < 0 || moovSize > Integer.MAX_VALUE) {
        throw new IOException(file + " has no moov box this can rewrite");
      }
      ByteBuffer moov = read(in, moovAt, (int) moovSize);
      Gapless gapless = measure(moov, file);
      if (find(moov, "udta", "meta", "ilst") == null) {
        throw new IOException(
            file + " has no iTunes item list (moov/udta/meta/ilst) for the gapless tag");
      }
      byte[] tag = itunesTag("iTunSMPB", gapless.itunSmpb());
      byte[] rewritten = rewrite(moov, tag, mdatFirst ? 0 : tag.length);
      copy(in, 0, moovAt, out);
      out.write(ByteBuffer.wrap(rewritten));
      copy(in, moovAt + moovSize, in.size() - moovAt - moovSize, out);
      out.force(false);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      return gapless;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException(file + ": malformed MP4: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void copy(FileChannel in, long from, long length, FileChannel out)
      throws IOException {
    for (long done = 0; done < length; ) {
      done += in.transferTo(from + done, length - done, out);
    }
  }

  /** Reads priming, length, padding and rate from the first sound track. */
  private static Gapless measure(ByteBuffer moov, Path file) throws IOException {
    ByteBuffer trak = soundTrack(moov);
    if (trak == null) {
      throw new IOException(file + " has no sound track");
    }
    ByteBuffer elst = find(trak, "edts", "elst");
    ByteBuffer mdhd = find(trak, "mdia", "mdhd");
    ByteBuffer stts = find(trak, "mdia", "minf", "stbl", "stts");
    ByteBuffer stsz = find(trak, "mdia", "minf", "stbl", "stsz");
    if (elst == null || mdhd == null || stts == null || stsz == null) {
      throw new IOException(file + ": the sound track lacks an edit list or sample table");
    }
    boolean elst64 = elst.get(HEADER) == 1;
    long edited =
        elst64 ? elst.getLong(HEADER + 8) : Integer.toUnsignedLong(elst.getInt(HEADER + 8));
    long priming = elst64 ? elst.getLong(HEADER + 16) : elst.getInt(HEADER + 12);
    ByteBuffer mvhd = find(moov, "mvhd");
    long movieTimescale =
        Integer.toUnsignedLong(mvhd.getInt(HEADER + (mvhd.get(HEADER) == 1 ? 20 : 12)));
    int rate = mdhd.get(HEADER) == 0 ? mdhd.getInt(HEADER + 12) : mdhd.getInt(HEADER + 20);
    long total = 0;
    int entries = stts.getInt(HEADER + 4);
    long frameSize = entries == 0 ? 0 : Integer.toUnsignedLong(stts.getInt(HEADER + 12));
    for (int i = 0; i < entries; i++) {
      total +=
          Integer.toUnsignedLong(stts.getInt(HEADER + 8 + 8 * i))
              * Integer.toUnsignedLong(stts.getInt(HEADER + 12 + 8 * i));
    }
    long frames = Integer.toUnsignedLong(stsz.getInt(HEADER + 8));
    long samples = total - priming;
    long padding = frames * frameSize - total;
    if (padding < 0 || padding >= frameSize) {
      throw new IOException(
          file
              + ": the sample table's durations ("
              + total
              + ") do not fit its "
              + frames
              + " frames of "
              + frameSize
              + " samples");
    }
    if (movieTimescale != rate || edited != samples) {
      throw new IOException(
          file
              + ": the edit list keeps "
              + edited
              + " units at "
              + movieTimescale
              + " per second, not the "
              + samples
              + " samples at "
              + rate
              + " Hz that the sample table holds");
    }
    return new Gapless(priming, samples, padding, rate);
  }

  /**
   * The moov with the tag appended to udta/meta/ilst and every chunk offset moved by {@code shift}.
   */
  private static byte[] rewrite(ByteBuffer box, byte[] tag, int shift) {
    String type = type(box);
    byte[] body;
    if (CONTAINERS.contains(type) || type.equals("meta") || type.equals("ilst")) {
      int start = HEADER + (type.equals("meta") ? 4 : 0);
      var children = new ByteArrayOutputStream();
      children.write(box.array(), box.arrayOffset() + HEADER, start - HEADER);
      for (ByteBuffer child : children(box, start)) {
        children.writeBytes(rewrite(child, tag, shift));
      }
      if (type.equals("ilst")) {
        children.writeBytes(tag);
      }
      body = children.toByteArray();
    } else {
      body = new byte[box.limit() - HEADER];
      box.get(HEADER, body);
      ByteBuffer patched = ByteBuffer.wrap(body);
      switch (type) {
        case "stco" -> {
          for (int i = 0; i < patched.getInt(4); i++) {
            patched.putInt(8 + 4 * i, patched.getInt(8 + 4 * i) + shift);
          }
        }
        case "co64" -> {
          for (int i = 0; i < patched.getInt(4); i++) {
            patched.putLong(8 + 8 * i, patched.getLong(8 + 8 * i) + shift);
          }
        }
        default -> {}
      }
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER + body.length);
    out.putInt(HEADER + body.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(body);
    return out.array();
  }

  private static ByteBuffer soundTrack(ByteBuffer moov) {
    for (ByteBuffer trak : children(moov, HEADER)) {
      ByteBuffer hdlr = type(trak).equals("trak") ? find(trak, "mdia", "hdlr") : null;
      if (hdlr != null && hdlr.getInt(HEADER + 8) == fourCc("soun")) {
        return trak;
      }
    }
    return null;
  }

  private static ByteBuffer find(ByteBuffer box, String... path) {
    ByteBuffer current = box;
    for (String name : path) {
      ByteBuffer next = null;
      for (ByteBuffer child :
          children(current, type(current).equals("meta") ? HEADER + 4 : HEADER)) {
        if (type(child).equals(name)) {
          next = child;
          break;
        }
      }
      if (next == null) {
        return null;
      }
      current = next;
    }
    return current;
  }

  private static List<ByteBuffer> children(ByteBuffer box, int start) {
    var children = new ArrayList<ByteBuffer>();
    for (int at = start; at + HEADER <= box.limit(); ) {
      int size = box.getInt(at);
      if (size < HEADER || at + size > box.limit()) {
        throw new IllegalArgumentException("a box of " + size + " bytes inside " + type(box));
      }
      children.add(box.slice(at, size));
      at += size;
    }
    return children;
  }

  /** A freeform iTunes item: mean "com.apple.iTunes", its name, and its value as UTF-8 text. */
  private static byte[] itunesTag(String name, String value) {
    byte[] mean = fullBox("mean", "com.apple.iTunes".getBytes(StandardCharsets.UTF_8), 0);
    byte[] nameBox = fullBox("name", name.getBytes(StandardCharsets.UTF_8), 0);
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    // data: type 1 (UTF-8), then a zero locale.
    byte[] data =
        fullBox("data", ByteBuffer.allocate(4 + text.length).putInt(0).put(text).array(), 1);
    ByteBuffer item = ByteBuffer.allocate(HEADER + mean.length + nameBox.length + data.length);
    item.putInt(item.capacity())
        .put("----".getBytes(StandardCharsets.ISO_8859_1))
        .put(mean)
        .put(nameBox)
        .put(data);
    return item.array();
  }

  private static byte[] fullBox(String type, byte[] payload, int versionAndFlags) {
    ByteBuffer box = ByteBuffer.allocate(HEADER + 4 + payload.length);
    box.putInt(box.capacity())
        .put(type.getBytes(StandardCharsets.ISO_8859_1))
        .putInt(versionAndFlags)
        .put(payload);
    return box.array();
  }

  private static String type(ByteBuffer box) {
    byte[] type = new byte[4];
    box.get(4, type);
    return new String(type, StandardCharsets.ISO_8859_1);
  }

  private static int fourCc(String type) {
    return ByteBuffer.wrap(type.getBytes(StandardCharsets.ISO_8859_1)).getInt();
  }

  private static ByteBuffer read(FileChannel channel, long at, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        throw new IOException("an MP4 box runs past the end of the file");
      }
    }
    return buffer.flip();
  }
}
