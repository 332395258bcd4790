package dev.concat.contract.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.concat.contract.rules.S3Uri;
import org.junit.jupiter.api.Test;

class AllowedLocationsTest {

  @Test
  void aPrefixAdmitsOnlyKeysUnderItNeverALookAlikeBucketOrFolder() {
    AllowedLocations shows = AllowedLocations.parse("s3://concat/, s3://raw/show-a/");

    assertTrue(shows.allows(S3Uri.parse("s3://concat/ep-1.mp3")));
    assertTrue(shows.allows(S3Uri.parse("s3://raw/show-a/part/1.wav")));
    assertFalse(shows.allows(S3Uri.parse("s3://concat-private/ep-1.mp3")));
    assertFalse(shows.allows(S3Uri.parse("s3://raw/show-a-private/1.wav")));
    assertFalse(shows.allows(S3Uri.parse("s3://raw/show-b/1.wav")));
  }

  @Test
  void aKeyPrefixIsAllowedOnlyWhenEveryKeyUnderItIs() {
    AllowedLocations shows = AllowedLocations.parse("s3://raw/show-a/, s3://raw/show-b/");

    assertTrue(shows.allowsEveryKeyUnder("raw", "show-a/ep 1/part-"));
    assertTrue(shows.allowsEveryKeyUnder("raw", "show-b/"));
    assertFalse(
        shows.allowsEveryKeyUnder("raw", "show-"), "also holds show-c/ and show-a-private/");
    assertFalse(shows.allowsEveryKeyUnder("raw", "show-a"), "also holds show-a-private/");
    assertFalse(shows.allowsEveryKeyUnder("raw", ""));
    assertFalse(shows.allowsEveryKeyUnder("other", "show-a/"));
    assertTrue(AllowedLocations.parse("*").allowsEveryKeyUnder("any", ""));
  }

  @Test
  void aStarAdmitsAnything() {
    assertTrue(AllowedLocations.parse("*").allows(S3Uri.parse("s3://anything/at/all.mp3")));
  }

  @Test
  void entriesThatAreNotABucketOrPrefixAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> AllowedLocations.parse(""));
    assertThrows(IllegalArgumentException.class, () -> AllowedLocations.parse("s3://concat"));
    assertThrows(IllegalArgumentException.class, () -> AllowedLocations.parse("concat/"));
    assertThrows(IllegalArgumentException.class, () -> AllowedLocations.parse("s3://Bad_Bucket/"));
    assertThrows(IllegalArgumentException.class, () -> AllowedLocations.parse(" , "));
  }
}
