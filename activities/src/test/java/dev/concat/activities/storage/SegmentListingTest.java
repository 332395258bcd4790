package dev.concat.activities.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.concat.activities.testing.S3Endpoint;
import dev.concat.activities.testing.S3Matrix;
import dev.concat.activities.testing.S3TestServer;
import dev.concat.contract.policy.AllowedLocations;
import dev.concat.contract.rules.S3Uri;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;

/** Segment sizes from listings, against every S3 implementation in {@link S3Matrix}. */
class SegmentListingTest {
  private static final S3Matrix matrix = new S3Matrix();

  @AfterAll
  static void stopServers() {
    matrix.close();
  }

  static List<String> servers() {
    return S3Matrix.SERVERS;
  }

  /**
   * More segments than one page holds, keys with spaces and accents, another object among them and
   * one segment named twice: every size is the object's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void everySegmentIsSizedAcrossPages(String name) {
    S3Endpoint s3 = matrix.server(name);
    List<S3Uri> segments = new ArrayList<>();
    Map<Integer, Long> expected = new HashMap<>();
    for (int i = 0; i < 1005; i++) {
      int bytes = 1 + i % 7;
      segments.add(put(s3, String.format("paged/ép 1/part %04d.mp3", i), bytes));
      expected.put(i, (long) bytes);
    }
    put(s3, "paged/ép 1/notes.txt", 11);
    segments.add(segments.get(3));
    expected.put(1005, expected.get(3));

    Map<Integer, Long> sizes =
        new SegmentListing(s3.s3(), AllowedLocations.parse("*"))
            .sizes("paged", segments, IntStream.range(0, segments.size()).boxed().toList());

    assertEquals(expected, sizes);
  }

  /** A prefix crowded with other objects is listed only so far; the rest is left to HEADs. */
  @Test
  void aCrowdedPrefixIsListedOnlyUpToItsAllowance() {
    S3Endpoint s3 = matrix.server("s3proxy");
    for (int i = 0; i < 1000; i++) {
      put(s3, String.format("crowded/m-%04d.txt", i), 1);
    }
    List<S3Uri> segments = new ArrayList<>();
    segments.add(put(s3, "crowded/a-00.mp3", 2));
    for (int i = 1; i < SegmentListing.LISTED_FROM; i++) {
      segments.add(put(s3, String.format("crowded/z-%02d.mp3", i), 2));
    }
    var store = ((S3TestServer) s3).store();
    store.reset();

    Map<Integer, Long> sizes =
        new SegmentListing(s3.s3(), AllowedLocations.parse("*"))
            .sizes("crowded", segments, IntStream.range(0, segments.size()).boxed().toList());

    assertEquals(
        Map.of(0, 2L), sizes, "only the first segment lies within the first thousand keys");
    assertEquals(1, store.listings(), "one page, then the HEADs take over");
  }

  private static S3Uri put(S3Endpoint s3, String key, int bytes) {
    s3.s3()
        .putObject(
            b -> b.bucket(S3TestServer.BUCKET).key(key), RequestBody.fromBytes(new byte[bytes]));
    return S3Uri.parse("s3://" + S3TestServer.BUCKET + "/" + key);
  }

  /** Segments in two allowed locations share a prefix that reaches beyond both: no listing. */
  @Test
  void aPrefixBeyondTheAllowedLocationsIsNotListed() {
    S3Endpoint s3 = matrix.server("s3proxy");
    List<S3Uri> segments = new ArrayList<>();
    for (int i = 0; i < SegmentListing.LISTED_FROM; i++) {
      segments.add(put(s3, "fence/" + (i % 2 == 0 ? "a" : "b") + "/part-" + i + ".mp3", 3));
    }
    var store = ((S3TestServer) s3).store();
    store.reset();
    var listing =
        new SegmentListing(
            s3.s3(), AllowedLocations.parse("s3://media/fence/a/,s3://media/fence/b/"));

    Map<Integer, Long> sizes =
        listing.sizes("fence", segments, IntStream.range(0, segments.size()).boxed().toList());

    assertEquals(Map.of(), sizes);
    assertEquals(0, store.listings(), "s3://media/fence/ holds keys no job may read");
    assertEquals(
        SegmentListing.LISTED_FROM,
        new SegmentListing(s3.s3(), AllowedLocations.parse("s3://media/fence/"))
            .sizes("fence", segments, IntStream.range(0, segments.size()).boxed().toList())
            .size(),
        "the same segments are listed where the whole prefix is allowed");
  }
}
