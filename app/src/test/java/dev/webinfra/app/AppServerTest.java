package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server in-process on an ephemeral loopback port, with its database unreachable: it starts,
 * and says so.
 */
class AppServerTest {
  // JUnit removes it after the class: no test leaves a directory in /tmp.
  @TempDir static Path tmp;

  static AppServer app;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Files.writeString(tmp.resolve("pw"), "x\n");
    // Nothing listens there: connections are refused at once, and the pools keep retrying.
    String url = "jdbc:mariadb://127.0.0.1:" + closed + "/webinfra";
    app =
        new AppServer(
            new AppConfig(
                "127.0.0.1",
                0,
                "www.foobar.com",
                url,
                List.of(url),
                "u",
                tmp.resolve("pw"),
                2,
                false),
            Clock.systemUTC(),
            "web-test");
    app.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
  }

  static HttpResponse<String> post(String type, String body) throws Exception {
    return send(
        req("/entries")
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  // java.net.http refuses to send what these tests need to send: a malformed request, written by
  // hand.
  static String raw(String request) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void healthSaysTheDatabaseIsDown() throws Exception {
    HttpResponse<String> r = send(req("/health"));
    assertThat(r.statusCode()).as("status").isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type"))
        .as("content type")
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body())
        .as("body")
        .contains("\"status\":\"DOWN\"", "\"db\":\"DOWN\"", "\"host\":\"web-test\"", "\"reason\":");
    assertThat(r.headers().firstValue("X-App-Host")).as("X-App-Host").hasValue("web-test");
  }

  @Test
  void staticFilesAreNotTheAppsToServe() throws Exception {
    HttpResponse<String> r = send(req("/static/style.css"));
    assertThat(r.statusCode()).as("nginx serves /static/, not the app").isEqualTo(404);
    assertThat(r.headers().firstValue("X-App-Host"))
        .as("a 404 is stamped too")
        .hasValue("web-test");
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    send(req("/nope"));
    HttpResponse<String> r = send(req("/metrics"));
    assertThat(r.statusCode()).as("status").isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .as("Prometheus text format")
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body())
        .as("HTTP requests by method, route and status")
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"NOT_FOUND\",status=\"404\"}");
    assertThat(r.body())
        .as("JVM, pool and guestbook metrics")
        .contains(
            "jvm_memory_used_bytes",
            "jvm_gc_",
            "jvm_threads_live_threads",
            "hikaricp_connections",
            "guestbook_writes_total");
    assertThat(r.body()).as("no raw paths in labels").doesNotContain("/nope");
  }

  @Test
  void garbageWritesGetA4xxWithAReason() throws Exception {
    HttpResponse<String> bad = post("application/json", "{oops");
    assertThat(bad.statusCode()).as("broken JSON").isEqualTo(400);
    assertThat(bad.body())
        .as("reason")
        .contains("body is not valid JSON")
        .doesNotContain("Exception");
    assertThat(bad.headers().firstValue("X-App-Host")).as("X-App-Host").hasValue("web-test");

    assertThat(post("application/json", "{\"author\":\"\",\"message\":\"hi\"}").body())
        .as("field named")
        .contains("field author is required");
    HttpResponse<String> huge = post("application/json", "x".repeat(20_000));
    assertThat(huge.statusCode()).as("body over 16 KiB").isEqualTo(413);
    assertThat(huge.headers().firstValue("Connection"))
        .as("the unread rest of the body ends the connection")
        .hasValue("close");
    assertThat(post("text/plain", "hello").statusCode()).as("wrong content type").isEqualTo(415);
    HttpResponse<String> notUtf8 =
        send(
            req("/entries")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        new byte[] {'{', '"', (byte) 0xFF, '"', '}'})));
    assertThat(notUtf8.statusCode()).as("body not UTF-8").isEqualTo(400);
    assertThat(notUtf8.body()).as("reason").contains("body is not valid UTF-8");
    assertThat(send(req("/entries")).statusCode()).as("GET on the write route").isEqualTo(405);
  }

  @Test
  void aValidWriteWithNoDatabaseIs503NotA500() throws Exception {
    HttpResponse<String> write = post("application/json", "{\"author\":\"a\",\"message\":\"b\"}");
    assertThat(write.statusCode()).as("status").isEqualTo(503);
    assertThat(write.body()).as("reason").contains("the database is not available");
  }

  @Test
  void thePageSaysTheDatabaseIsDownAndStillLinksItsAssets() throws Exception {
    HttpResponse<String> page = send(req("/"));
    assertThat(page.statusCode()).as("status").isEqualTo(503);
    assertThat(page.body())
        .as("HTML page")
        .contains(
            "<title>www.foobar.com guestbook</title>",
            "/static/style.css",
            "/static/app.js",
            "action=\"/entries?idempotency_key=",
            "served by <b>web-test</b>",
            "not available right now");
  }

  @Test
  void badQueriesAre400() throws Exception {
    assertThat(send(req("/api/entries?limit=0")).statusCode())
        .as("limit out of range")
        .isEqualTo(400);
    assertThat(raw("GET /api/entries?limit=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .as("query not URL encoding")
        .startsWith("HTTP/1.1 400")
        .contains("\"status\":400");
  }

  @Test
  void requestsJettyRejectsAreStampedJsonWithoutStackTraces() throws Exception {
    String r =
        raw(
            "POST /entries HTTP/1.1\r\n"
                + "Host: x\r\n"
                + "Content-Length: nope\r\n"
                + "Connection: close\r\n\r\n");
    assertThat(r)
        .as("raw response")
        .startsWith("HTTP/1.1 400")
        .containsIgnoringCase("X-App-Host: web-test")
        .contains("\"status\":400")
        .doesNotContain("at org.eclipse");
  }
}
