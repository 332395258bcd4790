package dev.concat.activities.ffmpeg;

/**
 * ffprobe found no playable audio in a file; the message is ffprobe's own or says what is missing.
 */
public final class UnusableAudioException extends Exception {
  public UnusableAudioException(String message) {
    super(message);
  }
}
