package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server in-process with its database unreachable: it starts, and says so. */
class AppServerTest {
  static AppServer app;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("app-test");
    Files.writeString(dir.resolve("pw"), "x");
    String url = "jdbc:mariadb://127.0.0.1:" + closed + "/webinfra";
    app = new AppServer(new AppConfig("127.0.0.1", 0, "www.foobar.com", url, List.of(url), "u", dir.resolve("pw"), 2), Clock.systemUTC());
    app.start();
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
  }

  @Test
  void healthSaysTheDatabaseIsDown() throws Exception {
    HttpResponse<String> r = send(req("/health"));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("\"db\":\"DOWN\"").contains("\"status\":\"DOWN\"");
    assertThat(r.headers().firstValue("X-App-Host")).isPresent();
  }

  @Test
  void staticFilesAreNotTheAppsToServe() throws Exception {
    assertThat(send(req("/static/style.css")).statusCode()).as("nginx serves /static/, not the app").isEqualTo(404);
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    send(req("/nope"));
    HttpResponse<String> r = send(req("/metrics"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"404\",status=\"404\"}")
        .contains("jvm_memory_used_bytes").contains("guestbook_writes_total");
  }

  @Test
  void garbageRequestsGetA4xxWithAReason() throws Exception {
    HttpResponse<String> bad = send(req("/entries").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{oops")));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("body is not valid JSON");
    HttpResponse<String> huge = send(req("/entries").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(20000))));
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(send(req("/entries")).statusCode()).as("GET on a POST route").isEqualTo(405);
    HttpResponse<String> write = send(req("/entries").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"author\":\"a\",\"message\":\"b\"}")));
    assertThat(write.statusCode()).as("a valid write with no database").isEqualTo(503);
    assertThat(write.body()).contains("the database is not available");
  }

  @Test
  void routesNeverCarryRawPaths() {
    assertThat(AppHandler.route("GET", "/api/entries/42")).isEqualTo("GET /api/entries/{id}");
    assertThat(AppHandler.route("GET", "/api/entries/x")).isEqualTo("404");
    assertThat(AppHandler.route("DELETE", "/health")).isEqualTo("405");
  }
}
