package dev.webinfra.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An app that is not our guestbook, for {@link AppsIT}: packed into a jar of its own (this class
 * alone, no dependency) and run by webinfra as {@code app.jar}. It reads only what docs/app.md
 * promises: {@code PORT}, {@code WEBINFRA_HOST}, {@code WEBINFRA_DB_WRITE} and the password file.
 * It is ready when its first write database accepts a connection and its password is readable.
 */
public final class MinimalApp {
  private MinimalApp() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv("PORT"));
    String host = System.getenv("WEBINFRA_HOST");
    String firstDb = System.getenv("WEBINFRA_DB_WRITE").split(",")[0];
    Path password = Path.of(System.getenv("WEBINFRA_DB_PASSWORD_FILE"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext(
        "/ready", ex -> answer(ex, host, ready(firstDb, password) ? 200 : 503, "ready\n"));
    server.createContext(
        "/", ex -> answer(ex, host, 200, "minimal app on " + host + ", not the guestbook\n"));
    server.start();
  }

  private static boolean ready(String hostPort, Path password) {
    int colon = hostPort.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          1000);
      return !Files.readString(password).isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  private static void answer(HttpExchange ex, String host, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("X-App-Host", host);
    ex.getResponseHeaders().add("X-App-Version", "minimal-1");
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
