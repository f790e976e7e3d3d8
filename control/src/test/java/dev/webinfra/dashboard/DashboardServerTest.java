package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.diagram.Graphviz;
import dev.webinfra.tls.IssuedCertificate;
import dev.webinfra.tls.LabCa;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and JSON endpoints over HTTPS, against fixed data for ha-cluster. */
class DashboardServerTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  static final ObjectMapper JSON = new ObjectMapper();

  static final String TOKEN = "Tok3nOfTheLabForTests32charsLong";

  @TempDir static Path dir;
  static DashboardServer server;
  static HttpClient client;
  static SSLContext ssl;

  @BeforeAll
  static void start() throws Exception {
    LabCa ca = LabCa.loadOrCreate(dir.resolve("ca"), "dash", Clock.systemUTC());
    IssuedCertificate cert =
        ca.issueServer(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    server =
        DashboardServer.start(
            "127.0.0.1",
            0,
            cert.certificatePem() + cert.caCertificatePem(),
            cert.privateKeyPem(),
            new TestDashboardData(HA),
            new DashboardAuth(TOKEN, "webinfra-dash"),
            CLOCK);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("lab-ca", ca.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    // Verifies the server's certificate against the lab CA, as a browser trusting it would.
    client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return send(path, "Authorization", "Bearer " + TOKEN);
  }

  static HttpResponse<String> send(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.url().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString("x"))
            .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    // A connection of its own: the server may close one whose body it refused unread, and a pooled
    // connection it closed would fail the next request with "received no bytes".
    try (HttpClient once =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build()) {
      return once.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Every path the dashboard serves, and one it does not. */
  static final List<String> PATHS =
      List.of(
          "/",
          "/dashboard.js",
          "/dashboard.css",
          "/echarts.min.js",
          "/api/status",
          "/api/diagram.svg",
          "/api/panels",
          "/api/graph?id=requests",
          "/nope");

  @Test
  void withoutTheTokenEveryPathIs401AndNothingElse() throws Exception {
    String cookie = "__Host-webinfra-dash=";
    for (String path : PATHS) {
      for (String[] headers :
          List.of(
              new String[0],
              new String[] {"Authorization", "Bearer wrong-token-of-the-right-size"},
              new String[] {"Authorization", "Bearer " + TOKEN + "x"},
              new String[] {"Authorization", "Basic " + TOKEN},
              new String[] {"Cookie", cookie + "wrong"},
              new String[] {"Cookie", "__Host-webinfra-other=" + TOKEN})) {
        HttpResponse<String> r = send(path, headers);
        assertThat(r.statusCode()).as("%s with %s", path, List.of(headers)).isEqualTo(401);
        assertThat(r.body())
            .as("a 401 reveals nothing")
            .isEqualTo("401: open the URL that webinfra dashboard prints\n");
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
      }
    }
    assertThat(send("/?token=" + TOKEN.substring(1)).statusCode()).isEqualTo(401);
    assertThat(send("/?token=").statusCode()).isEqualTo(401);
  }

  @Test
  void theTokenInTheUrlBecomesAStrictHttpOnlyCookieThatOpensEveryPath() throws Exception {
    HttpResponse<String> exchanged = send("/?token=" + TOKEN);
    assertThat(exchanged.statusCode()).isEqualTo(200);
    assertThat(exchanged.body()).as("moves on to the page, leaving the token").contains("url=/");
    assertThat(exchanged.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    String setCookie = exchanged.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("__Host-webinfra-dash=" + TOKEN + ";")
        .contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    for (String path : PATHS) {
      if (path.endsWith(".svg") && !Graphviz.available()) {
        continue; // drawn by dot; the diagram's own test below skips, with its reason, without it
      }
      assertThat(send(path, "Cookie", "other=1; " + cookie).statusCode())
          .as("%s with the cookie", path)
          .isEqualTo(path.equals("/nope") ? 404 : 200);
    }
  }

  @Test
  void aRequestThatWouldWriteNeedsTheHeaderOrTheCookieFromTheSameOrigin() throws Exception {
    String cookie = "__Host-webinfra-dash=" + TOKEN;
    String own = "https://127.0.0.1:" + server.port();
    assertThat(post("/api/status").statusCode()).as("no token").isEqualTo(401);
    assertThat(post("/api/status", "Cookie", cookie).statusCode())
        .as("the cookie alone, as a form of another site would send it")
        .isEqualTo(403);
    assertThat(post("/api/status", "Cookie", cookie, "Origin", "https://evil.example").statusCode())
        .as("the cookie from another origin")
        .isEqualTo(403);
    assertThat(post("/api/status", "Cookie", cookie, "Origin", own).statusCode())
        .as("the cookie from the page itself passes the guard; nothing writes yet")
        .isEqualTo(405);
    assertThat(post("/api/status", "Authorization", "Bearer " + TOKEN).statusCode())
        .as("the header passes the guard")
        .isEqualTo(405);
  }

  @Test
  void servesThePageAndItsScriptsOverHttpsWithTheLabCertificate() throws Exception {
    assertThat(server.url().toString()).startsWith("https://127.0.0.1:");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/echarts.min.js", "/dashboard.js", "id=\"diagram\"");
    assertThat(page.headers().firstValue("Strict-Transport-Security")).isPresent();
    HttpResponse<String> echarts = get("/echarts.min.js");
    assertThat(echarts.statusCode()).as("ECharts from its WebJar").isEqualTo(200);
    assertThat(echarts.body()).contains("echarts");
    assertThat(get("/dashboard.js").body()).contains("setInterval(tick, REFRESH_MS)");
  }

  @Test
  void statusNamesEveryHostTheVipHolderPrimariesAlertsAndIncidents() throws Exception {
    HttpResponse<String> r = get("/api/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode s = JSON.readTree(r.body());
    assertThat(s.path("hosts").findValuesAsText("name"))
        .containsExactlyElementsOf(HA.hosts().stream().map(h -> h.name()).toList());
    assertThat(s.path("vipHolder").asText()).isEqualTo("lb1");
    assertThat(s.path("dbPrimaries").toString()).contains("web1", "web2");
    assertThat(s.path("replicas").get(0).path("host").asText()).isEqualTo("web3");
    assertThat(s.path("alerts").get(0).path("instance").asText()).isEqualTo("web2");
    JsonNode incident = s.path("incidents").get(0);
    assertThat(incident.path("title").asText()).isEqualTo("HostDown web2");
    assertThat(incident.path("alerts").asInt()).isEqualTo(1);
    assertThat(incident.path("resolved").isNull()).as("open: resolved is null").isTrue();
    assertThat(s.path("incidents").get(1).path("resolved").asText())
        .isEqualTo("2026-11-23T11:52:30Z");
  }

  @Test
  void everyPanelAnswersWithSeriesOverTheLastMinutes() throws Exception {
    JsonNode panels = JSON.readTree(get("/api/panels").body());
    assertThat(panels.findValuesAsText("id"))
        .containsExactly("requests", "errors", "latency", "share", "queries", "lag", "galera");
    for (String id : panels.findValuesAsText("id")) {
      JsonNode g = JSON.readTree(get("/api/graph?id=" + id + "&minutes=5").body());
      assertThat(g.path("series").size()).as("series of %s", id).isPositive();
      JsonNode points = g.path("series").get(0).path("points");
      assertThat(points.size()).as("points of %s", id).isGreaterThan(100);
      assertThat(points.get(points.size() - 1).get(0).asLong())
          .as("the window ends at the injected clock's now")
          .isEqualTo(CLOCK.millis());
    }
    JsonNode latency = JSON.readTree(get("/api/graph?id=latency").body());
    assertThat(latency.path("series").findValuesAsText("name")).contains("web1 p50", "web1 p99");
  }

  @Test
  void theDiagramIsTheDesignColouredByState() throws Exception {
    assumeTrue(Graphviz.available(), "Graphviz's dot is missing (Debian package graphviz)");
    HttpResponse<String> r = get("/api/diagram.svg");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<svg", "web1", "web2", "lb1", "mon", "#c62828", "#2e7d32");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/api/graph?id=nope").statusCode()).isEqualTo(404);
    assertThat(post("/api/status", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(405);
  }

  @Test
  void aWrongCertificateOrKeyIsInvalidInput() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                DashboardServer.start(
                    "127.0.0.1",
                    0,
                    "not a pem",
                    "nor this",
                    new TestDashboardData(HA),
                    new DashboardAuth(TOKEN, "webinfra-dash"),
                    CLOCK))
        .hasMessageStartingWith("dashboard: certificate or key");
  }
}
