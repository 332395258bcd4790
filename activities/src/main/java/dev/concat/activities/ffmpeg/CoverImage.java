package dev.concat.activities.ffmpeg;

import dev.concat.activities.workdir.JobWorkDir;
import dev.concat.contract.FailureSubject;
import dev.concat.contract.FailureType;
import dev.concat.contract.rules.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The episode's cover image on this host, checked before it goes into the output. */
final class CoverImage {
  private static final Set<String> COVER_CODECS = Set.of("mjpeg", "png");

  /** The cover image, checked to be a JPEG or PNG picture so the muxer gets what players show. */
  static Path checked(JobWorkDir dir, String coverUri, Ffprobe ffprobe) throws IOException {
    Path cover = dir.cover(S3Uri.parse(coverUri).extension());
    if (!Files.isRegularFile(cover)) {
      throw FailureType.WORK_DIR_LOST.failure(
          FailureSubject.job(dir.jobId())
              .describe(
                  "the cover image is not in "
                      + dir.root()
                      + " on this host; the download must run again"));
    }
    String codec;
    try {
      codec = ffprobe.pictureCodec(cover);
    } catch (UnusableAudioException e) {
      codec = null;
    }
    if (codec == null || !COVER_CODECS.contains(codec)) {
      throw FailureType.INVALID_COVER.failure(
          FailureSubject.cover(dir.jobId(), coverUri)
              .describe(
                  "is not a JPEG or PNG image"
                      + (codec == null ? "" : " (it holds " + codec + ")")));
    }
    return cover;
  }

  private CoverImage() {}
}
