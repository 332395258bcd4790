package dev.concat.testkit;

import java.util.List;

/**
 * How a generated tone is stored: the file extension and FFmpeg's codec, bit rate and container
 * arguments. The container is named, not guessed from the file name, so a partial file may have any
 * name.
 */
public record AudioEncoding(String extension, List<String> arguments) {

  public AudioEncoding {
    arguments = List.copyOf(arguments);
  }

  public static AudioEncoding mp3(String bitRate) {
    return new AudioEncoding("mp3", List.of("-c:a", "libmp3lame", "-b:a", bitRate, "-f", "mp3"));
  }

  /** AAC in an .m4a (FFmpeg's ipod muxer, as it picks for that extension). */
  public static AudioEncoding aac(String bitRate) {
    return new AudioEncoding("m4a", List.of("-c:a", "aac", "-b:a", bitRate, "-f", "ipod"));
  }

  public static AudioEncoding vorbis(int quality) {
    return new AudioEncoding(
        "ogg", List.of("-c:a", "libvorbis", "-q:a", String.valueOf(quality), "-f", "ogg"));
  }

  public static AudioEncoding flac() {
    return new AudioEncoding("flac", List.of("-c:a", "flac", "-f", "flac"));
  }

  /** 16-bit PCM WAV. */
  public static AudioEncoding wav() {
    return new AudioEncoding("wav", List.of("-c:a", "pcm_s16le", "-f", "wav"));
  }
}
