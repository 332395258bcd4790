package dev.concat.app.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.concat.activities.storage.S3Clients;
import dev.concat.activities.storage.S3Settings;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedS3ServerTest {
  @TempDir Path data;

  @Test
  void servesSignedRequestsOnLoopbackOnlyAndRejectsUnsignedOnes() throws Exception {
    try (var server = EmbeddedS3Server.start(data, "127.0.0.1", 0, "key", "secret-key")) {
      URI endpoint = server.endpoint();
      assertEquals("127.0.0.1", endpoint.getHost());
      assertNotEquals(0, endpoint.getPort());
      server.createBucket("bucket-one");
      assertThrows(IllegalArgumentException.class, () -> server.createBucket("b1"));

      // Cloudflare R2's setting: checksums only where required. Must work against the server too.
      var settings = new S3Settings(endpoint.toString(), "auto", true, true);
      try (S3Client s3 =
          S3Clients.sync(
              settings,
              StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret-key")))) {
        s3.putObject(b -> b.bucket("bucket-one").key("a/b.txt"), RequestBody.fromString("hello"));
        assertArrayEquals(
            "hello".getBytes(),
            s3.getObjectAsBytes(b -> b.bucket("bucket-one").key("a/b.txt")).asByteArray());
      }

      var unsigned =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(endpoint.resolve("/bucket-one/a/b.txt")).build(),
                  HttpResponse.BodyHandlers.discarding());
      assertEquals(403, unsigned.statusCode());

      var otherAddress =
          NetworkInterface.networkInterfaces()
              .flatMap(NetworkInterface::inetAddresses)
              .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
              .findFirst();
      Assumptions.assumeTrue(otherAddress.isPresent(), "no non-loopback address to try");
      try (var socket = new Socket()) {
        assertThrows(
            ConnectException.class,
            () ->
                socket.connect(
                    new InetSocketAddress(otherAddress.get(), endpoint.getPort()), 2000));
      }
    }
  }
}
