package dev.webinfra.controller;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The controller's receiver of Alertmanager's notifications: plain HTTP on a listener of its own,
 * {@code POST PATH} with {@code Authorization: Bearer TOKEN}, the token compared in constant time
 * and never logged. Each accepted body goes to {@link AlertNotices}.
 */
public final class AlertWebhook implements AutoCloseable {
  /** The largest body accepted: a group of many alerts, not a flood. */
  static final int MAX_BODY = 1 << 20;

  private final Server server;
  private final ServerConnector connector;

  private AlertWebhook(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Starts serving on {@code host:port} (0: any free port). */
  public static AlertWebhook start(
      String host, int port, String path, String token, AlertNotices notices) {
    if (token.isBlank()) {
      throw WebinfraException.invalidInput("alert webhook: the bearer token is empty");
    }
    QueuedThreadPool threads = new QueuedThreadPool(4, 1);
    threads.setName("alert-webhook");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(
        new Receive(path, ("Bearer " + token).getBytes(StandardCharsets.UTF_8), notices));
    try {
      server.start();
    } catch (Exception e) {
      throw WebinfraException.unexpectedState(
          "alert webhook: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new AlertWebhook(server, connector);
  }

  /** The port it listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw WebinfraException.unexpectedState("alert webhook: cannot stop: " + e.getMessage(), e);
    }
  }

  private static final class Receive extends Handler.Abstract {
    private final String path;
    private final byte[] expected;
    private final AlertNotices notices;

    Receive(String path, byte[] expected, AlertNotices notices) {
      this.path = path;
      this.expected = expected;
      this.notices = notices;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws IOException {
      if (!Request.getPathInContext(request).equals(path)) {
        return send(response, callback, 404, "not found\n");
      }
      if (!request.getMethod().equals("POST")) {
        return send(response, callback, 405, "only POST\n");
      }
      String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      byte[] given = auth == null ? new byte[0] : auth.getBytes(StandardCharsets.UTF_8);
      // Constant time: how much of the token matched must not show in the answer's timing.
      if (!MessageDigest.isEqual(given, expected)) {
        return send(response, callback, 401, "unauthorized\n");
      }
      byte[] body;
      try (InputStream in = Request.asInputStream(request)) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        return send(response, callback, 413, "body over " + MAX_BODY + " bytes\n");
      }
      try {
        notices.receive(new String(body, StandardCharsets.UTF_8));
      } catch (WebinfraException e) {
        return send(response, callback, 400, e.getMessage() + "\n");
      }
      return send(response, callback, 200, "ok\n");
    }

    private static boolean send(Response response, Callback callback, int status, String text) {
      response.setStatus(status);
      if (status != 200) {
        // The body of a refused post is left unread: the connection cannot serve another request.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
