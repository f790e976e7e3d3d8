package dev.webinfra.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes the app's responses: a status, a content type and a whole body, in one go. */
final class Responses {
  /** Stamped on every response the app makes, so a test can tell the app's answers from nginx's. */
  static final String APP_HOST = "X-App-Host";

  /**
   * Stamped on every response the app makes: its version from its jar's manifest, which {@code
   * webinfra status} shows and a deploy checks.
   */
  static final String APP_VERSION = "X-App-Version";

  /** This build's version, from the jar's manifest ({@code dev} when run from classes). */
  static final String VERSION =
      java.util.Optional.ofNullable(Responses.class.getPackage().getImplementationVersion())
          .orElse("dev");

  static final String JSON = "application/json";
  static final String HTML = "text/html; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private Responses() {}

  /** Sends {@code body} and returns {@code status}, so callers can record it. */
  static int send(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    Content.Sink.write(response, true, body, callback);
    return status;
  }

  /** Sends {@code {"error": message, "status": status}}. */
  static int error(Response response, Callback callback, int status, String message) {
    return send(response, callback, status, JSON, errorJson(status, message));
  }

  static String errorJson(int status, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", message);
    body.put("status", status);
    return body.toString();
  }

  /**
   * An exception's message followed by its root cause's, on one line: pool timeouts hide the real
   * reason in the cause.
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(e.getMessage());
    if (root == e || root.getMessage() == null || message.contains(root.getMessage())) {
      return oneLine(message);
    }
    return oneLine(message + "; cause: " + root.getMessage());
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
