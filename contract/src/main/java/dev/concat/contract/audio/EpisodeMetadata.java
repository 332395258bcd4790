package dev.concat.contract.audio;

/**
 * Tags for the finished episode: ID3v2.3 frames in an MP3, iTunes atoms in an M4A. Every field is
 * optional.
 *
 * @param title the episode title (ID3 TIT2)
 * @param artist the artist or host (ID3 TPE1)
 * @param album the show's name (ID3 TALB)
 * @param episode the episode number, written as the track number (ID3 TRCK, M4A trkn)
 * @param cover the S3 URI of a JPEG or PNG cover image (ID3 APIC, M4A covr)
 */
public record EpisodeMetadata(
    String title, String artist, String album, Integer episode, String cover) {

  public boolean hasCover() {
    return cover != null;
  }
}
