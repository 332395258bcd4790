package dev.concat.app.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a failed health check says about the connection settings: whether waiting could help (a
 * server still starting) and which setting to fix otherwise.
 *
 * @param worthRetrying true only for faults a starting or restarting server would show
 */
record ConnectProblem(boolean worthRetrying, String hint) {

  static ConnectProblem of(StatusRuntimeException e, TemporalClientConfig config) {
    String text = describe(e).toLowerCase(Locale.ROOT);
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
      return fix(
          "the credentials were refused ("
              + code
              + "): check TEMPORAL_API_KEY (api_key in the profile)"
              + (config.hasClientCertificate() ? " and the client certificate" : ""));
    }
    if (text.contains("pkix")
        || text.contains("unable to find valid certification path")
        || text.contains("certificate_unknown") && !config.hasClientCertificate()) {
      return fix(
          "the server's TLS certificate is not trusted: give its CA with TEMPORAL_TLS_SERVER_CA_CERT_PATH "
              + "(server_ca_cert_path in the profile's tls section)");
    }
    if (text.contains("no subject alternative") || text.contains("no name matching")) {
      return fix(
          "the server's TLS certificate does not name the host in "
              + config.address()
              + ": set TEMPORAL_TLS_SERVER_NAME to a name it holds");
    }
    if (text.contains("not an ssl/tls record")) {
      return fix(
          "the endpoint does not speak TLS: unset TEMPORAL_TLS (or the profile's tls section) or use its "
              + "TLS address");
    }
    if (config.hasClientCertificate()
        && (text.contains("no required ssl certificate")
            || text.contains("certificate_required"))) {
      // A TLS client offers only a certificate whose issuer the server asked for.
      return fix(
          "the server refused the TLS client certificate: it is not signed by a CA the server trusts "
              + "(TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH)");
    }
    if (text.contains("no required ssl certificate")
        || text.contains("certificate_required")
        || text.contains("bad_certificate") && !config.hasClientCertificate()) {
      return fix(
          "the server requires a TLS client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH and "
              + "TEMPORAL_TLS_CLIENT_KEY_PATH (or client_cert_path and client_key_path in the profile)");
    }
    if (text.contains("ssl certificate error")
        || text.contains("bad_certificate")
        || text.contains("unknown_ca")
        || text.contains("certificate_unknown")) {
      return fix(
          "the server refused the TLS client certificate: use one its CA signed "
              + "(TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH)");
    }
    if (!config.usesTls()
        && (text.contains("http status code 400")
            || text.contains("plain http request")
            || text.contains("first received frame was not settings"))) {
      return fix(
          "the endpoint expects TLS: set TEMPORAL_TLS=true (or a tls section in the profile)");
    }
    if (text.contains("sslhandshake") || text.contains("handshake")) {
      return fix(
          "the TLS handshake failed: check the TEMPORAL_TLS_* settings against the server's");
    }
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
      return new ConnectProblem(
          true,
          "is the address right and the server up? (set TEMPORAL_ADDRESS or "
              + "--temporal-address; is `concat dev` running?)");
    }
    return fix("check TEMPORAL_ADDRESS, TEMPORAL_TLS* and TEMPORAL_API_KEY");
  }

  private static ConnectProblem fix(String hint) {
    return new ConnectProblem(false, hint);
  }

  private static final Pattern HTML_TITLE = Pattern.compile("<title>([^<]*)</title>");

  /**
   * The status and every cause's message: the TLS reason is usually a few causes deep. Of an HTML
   * answer (a proxy's error page) only the first line and the page's title.
   */
  static String describe(StatusRuntimeException e) {
    StringBuilder text = new StringBuilder(e.getStatus().getCode().toString());
    String description = e.getStatus().getDescription();
    if (description != null) {
      text.append(": ").append(description.lines().findFirst().orElse(""));
      Matcher title = HTML_TITLE.matcher(description);
      if (title.find()) {
        text.append(" (").append(title.group(1).strip()).append(")");
      }
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        text.append(" (connection refused)");
        break;
      }
      text.append(" / ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage());
    }
    return text.toString();
  }
}
