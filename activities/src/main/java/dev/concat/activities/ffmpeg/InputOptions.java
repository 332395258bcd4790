package dev.concat.activities.ffmpeg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How FFmpeg and ffprobe open their inputs: as local files only, and a segment only through an
 * audio demuxer. A "segment" is whatever a client uploaded; without this, FFmpeg would follow an
 * HLS or DASH playlist, or a concat script, named {@code .mp3} to any file on the worker's disk or
 * any URL. The protocol whitelist carries over to every file a demuxer opens inside an input; the
 * format whitelist too, and the concat list names its own for each file it lists.
 */
public final class InputOptions {
  /** Demuxers for the audio a producer's tools write; no playlist, script or image demuxer. */
  public static final String AUDIO_DEMUXERS =
      "mp3,wav,w64,flac,ogg,mov,matroska,aac,aiff,caf,au,wv,ape,tta,asf,ac3,eac3,amr";

  /** A cover image, read as a single still. */
  static final String IMAGE_DEMUXERS = "image2,jpeg_pipe,png_pipe";

  private static final List<String> FILES_ONLY = List.of("-protocol_whitelist", "file");

  private InputOptions() {}

  /** A downloaded segment. */
  public static List<String> segment(Path file) {
    return input(AUDIO_DEMUXERS, file);
  }

  /**
   * The concat demuxer over a list concat wrote; each listed file is held to {@link
   * #AUDIO_DEMUXERS}.
   */
  public static List<String> concatList(Path listFile) {
    List<String> args = new ArrayList<>(FILES_ONLY);
    // -safe 0 because the list holds absolute paths.
    args.addAll(
        List.of(
            "-format_whitelist",
            "concat",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            listFile.toString()));
    return args;
  }

  /** The downloaded cover image. */
  static List<String> cover(Path file) {
    return input(IMAGE_DEMUXERS, file);
  }

  /** A file concat wrote itself (PCM, tags, the joined output): local files only. */
  public static List<String> workFile(Path file) {
    List<String> args = new ArrayList<>(FILES_ONLY);
    args.addAll(List.of("-i", file.toString()));
    return args;
  }

  /** ffprobe's options for any file it describes: a segment, the cover or the output. */
  static List<String> probe() {
    List<String> args = new ArrayList<>(FILES_ONLY);
    args.addAll(List.of("-format_whitelist", AUDIO_DEMUXERS + "," + IMAGE_DEMUXERS));
    return args;
  }

  private static List<String> input(String demuxers, Path file) {
    List<String> args = new ArrayList<>(FILES_ONLY);
    args.addAll(List.of("-format_whitelist", demuxers, "-i", file.toString()));
    return args;
  }
}
