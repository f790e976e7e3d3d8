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

  @TempDir static Path dir;
  static DashboardServer server;
  static HttpClient client;

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
            CLOCK);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("lab-ca", ca.certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
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
    return client.send(
        HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
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
  void statusNamesEveryHostTheVipHolderPrimariesAndAlerts() throws Exception {
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
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(server.url().resolve("/api/status"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aWrongCertificateOrKeyIsInvalidInput() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                DashboardServer.start(
                    "127.0.0.1", 0, "not a pem", "nor this", new TestDashboardData(HA), CLOCK))
        .hasMessageStartingWith("dashboard: certificate or key");
  }
}
