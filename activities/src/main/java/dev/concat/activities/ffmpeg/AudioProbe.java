package dev.concat.activities.ffmpeg;

/**
 * What ffprobe says about a file's first audio stream.
 *
 * @param codec the codec name, for example {@code mp3} or {@code aac}
 * @param sampleRate samples per second
 * @param channels channel count
 * @param durationSeconds playing time: the container's duration minus the stream's start time (for
 *     MP3 the start time is the encoder delay, 25 ms for LAME), so what remains is the audio plus
 *     at most one frame of end padding
 */
public record AudioProbe(String codec, int sampleRate, int channels, double durationSeconds) {

  /** Whether two inputs can be joined without re-encoding. */
  public boolean sameStreamAs(AudioProbe other) {
    return codec.equals(other.codec)
        && sampleRate == other.sampleRate
        && channels == other.channels;
  }
}
