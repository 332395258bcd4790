package dev.concat.app.it;

import dev.concat.testkit.Executables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority, a server certificate for 127.0.0.1 and a client certificate it signed,
 * and a client certificate from a second, unrelated authority: made with openssl at test time.
 */
record TestCertificates(
    Path caCert,
    Path serverCert,
    Path serverKey,
    Path clientCert,
    Path clientKey,
    Path strangerCert,
    Path strangerKey) {

  static TestCertificates generate(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    var certs =
        new TestCertificates(
            dir.resolve("ca.pem"),
            dir.resolve("server.pem"),
            dir.resolve("server.key"),
            dir.resolve("client.pem"),
            dir.resolve("client.key"),
            dir.resolve("stranger.pem"),
            dir.resolve("stranger.key"));
    Path strangerCa = dir.resolve("stranger-ca.pem");
    selfSigned(dir, "concat test CA", certs.caCert, dir.resolve("ca.key"));
    selfSigned(dir, "stranger CA", strangerCa, dir.resolve("stranger-ca.key"));
    Path serverExtensions =
        Files.writeString(
            dir.resolve("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    Path clientExtensions =
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    signed(
        dir,
        "127.0.0.1",
        certs.serverCert,
        certs.serverKey,
        certs.caCert,
        dir.resolve("ca.key"),
        serverExtensions);
    signed(
        dir,
        "concat-worker",
        certs.clientCert,
        certs.clientKey,
        certs.caCert,
        dir.resolve("ca.key"),
        clientExtensions);
    signed(
        dir,
        "concat-worker",
        certs.strangerCert,
        certs.strangerKey,
        strangerCa,
        dir.resolve("stranger-ca.key"),
        clientExtensions);
    return certs;
  }

  private static void selfSigned(Path dir, String name, Path cert, Path key)
      throws IOException, InterruptedException {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
  }

  private static void signed(
      Path dir, String name, Path cert, Path key, Path caCert, Path caKey, Path extensions)
      throws IOException, InterruptedException {
    Path request = dir.resolve(cert.getFileName() + ".csr");
    openssl(
        dir,
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        key.toString(),
        "-out",
        request.toString());
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        request.toString(),
        "-CA",
        caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        extensions.toString(),
        "-out",
        cert.toString());
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Executables.require("openssl").toString()));
    command.addAll(List.of(args));
    CliProcess run =
        CliProcess.exec(command, null, dir.resolve("openssl-output"), Duration.ofSeconds(30));
    if (run.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + run.transcript());
    }
  }
}
