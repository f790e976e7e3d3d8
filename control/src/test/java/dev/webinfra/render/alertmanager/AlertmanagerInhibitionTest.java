package dev.webinfra.render.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.controller.AlertNotices;
import dev.webinfra.controller.AlertWebhook;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.events.Event;
import dev.webinfra.events.EventLog;
import dev.webinfra.events.Incidents;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered Alertmanager config of ha-cluster, run by Debian's real Alertmanager (no root
 * needed: it listens on loopback), notifying the controller's real receiver: checked by {@code
 * amtool}, and a power cut of web2 as Prometheus would report it pages once, HostDown web2.
 */
class AlertmanagerInhibitionTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
  static final Path AM = Path.of("/usr/bin/prometheus-alertmanager");
  static final Path AMTOOL = Path.of("/usr/bin/amtool");
  static final ObjectMapper JSON = new ObjectMapper();

  static String config(Path dir) {
    Host mon = HA.host("mon").orElseThrow();
    RenderedFile f =
        AlertmanagerRenderer.render(HA, mon, new HostPaths(Path.of("/srv/webinfra/ha/mon"))).get(0);
    return f.content();
  }

  @Test
  void amtoolAcceptsTheConfigAndRoutesEveryAlertToTheController(@TempDir Path dir)
      throws Exception {
    assumeTrue(Files.isExecutable(AMTOOL), "amtool is missing: webinfra setup installs it");
    Path cfg = dir.resolve("alertmanager.yml");
    Files.writeString(cfg, config(dir));
    assertThat(run(List.of(AMTOOL.toString(), "check-config", cfg.toString()))).contains("SUCCESS");
    assertThat(
            run(
                List.of(
                    AMTOOL.toString(),
                    "config",
                    "routes",
                    "test",
                    "--config.file=" + cfg,
                    "alertname=HostDown",
                    "host=web2",
                    "incident=host-down")))
        .startsWith("webinfra");
    assertThat(
            run(
                List.of(
                    AMTOOL.toString(),
                    "config",
                    "routes",
                    "test",
                    "--config.file=" + cfg,
                    "alertname=HostRecovering",
                    "host=web2")))
        .as("HostRecovering pages no one")
        .startsWith("silent");
  }

  @Test
  void aPowerCutOfWeb2PagesOnceAndOnlyHostDownStaysUninhibited(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(AM), "prometheus-alertmanager is missing: webinfra setup installs it");
    EventLog log = new EventLog(dir.resolve("events.jsonl"), Clock.systemUTC());
    AlertNotices notices = new AlertNotices(log);
    try (AlertWebhook hook = AlertWebhook.start("127.0.0.1", 0, Webhook.PATH, "t0ken", notices)) {
      Files.writeString(dir.resolve("token"), "t0ken\n");
      String cfg =
          config(dir)
              .replaceAll("url: http://[0-9.]+:[0-9]+", "url: http://127.0.0.1:" + hook.port())
              .replace(
                  "/srv/webinfra/ha/mon/etc/alertmanager-webhook.token",
                  dir.resolve("token").toString());
      Files.writeString(dir.resolve("alertmanager.yml"), cfg);
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process am =
          new ProcessBuilder(
                  AM.toString(),
                  "--config.file=" + dir.resolve("alertmanager.yml"),
                  "--storage.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--cluster.listen-address=")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("am.log").toFile())
              .start();
      try {
        URI api = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        await(() -> get(http, api.resolve("/-/ready")) == 200, "Alertmanager ready");
        // What Prometheus reports after web2's power cut, HostDown last (it needs every target).
        String now = Instant.now().toString();
        String alerts =
            "["
                + alert(now, "TargetDown", "incident", "target", "host", "web2", "job", "node")
                + ","
                + alert(now, "TargetDown", "incident", "target", "host", "web2", "job", "app")
                + ","
                + alert(
                    now,
                    "HaproxyServerDown",
                    "incident",
                    "lb-server",
                    "host",
                    "web2",
                    "instance",
                    "lb1")
                + ","
                + alert(
                    now,
                    "HaproxyServerHealthcheckFailure",
                    "incident",
                    "lb-server",
                    "host",
                    "web2",
                    "instance",
                    "lb2")
                + ","
                + alert(
                    now,
                    "GaleraClusterLostMembers",
                    "incident",
                    "galera",
                    "host",
                    "web1",
                    "galera",
                    "member")
                + ","
                + alert(
                    now,
                    "MySQLReplicationNotRunning",
                    "incident",
                    "replication",
                    "host",
                    "web3",
                    "source_host",
                    "web2")
                + ","
                + recovering(now)
                + "]";
        assertThat(post(http, api.resolve("/api/v2/alerts"), alerts)).isEqualTo(200);
        Thread.sleep(1000);
        String hostDown = "[" + hostDown(now) + "]";
        assertThat(post(http, api.resolve("/api/v2/alerts"), hostDown)).isEqualTo(200);
        await(() -> !log.read().isEmpty(), "a notification at the controller");
        // Longer than group_wait and group_interval: any other notification would have come.
        Thread.sleep(7000);
        List<Event> events = log.read();
        assertThat(events).as("exactly one page").hasSize(1);
        assertThat(events.get(0).host()).isEqualTo("web2");
        assertThat(events.get(0).message()).startsWith("firing: HostDown");
        assertThat(Incidents.of(events, Instant.now()).open())
            .as("Alertmanager's real body read back as one open incident")
            .singleElement()
            .satisfies(
                i -> {
                  assertThat(i.title()).isEqualTo("HostDown web2");
                  assertThat(i.kind()).isEqualTo("host-down");
                  assertThat(i.alerts()).isEqualTo(1);
                  assertThat(i.since()).as("the alert's startsAt").isEqualTo(Instant.parse(now));
                });
        JsonNode active =
            JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                api.resolve(
                                    "/api/v2/alerts?active=true&inhibited=false&silenced=false"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        List<String> names = new ArrayList<>();
        active.forEach(a -> names.add(a.path("labels").path("alertname").asText()));
        assertThat(names).as("the only active un-inhibited alert").containsExactly("HostDown");
        // web2 is back: HostDown resolves, and HostRecovering, there since the fall, keeps the
        // targets still starting from paging. Only the resolution notifies.
        String back =
            "["
                // The alert's own object ends last: its end goes before that brace.
                + hostDown(now).replaceFirst("}$", ",\"endsAt\":\"" + Instant.now() + "\"}")
                + "]";
        assertThat(post(http, api.resolve("/api/v2/alerts"), back)).isEqualTo(200);
        await(() -> log.read().size() >= 2, "the resolution at the controller");
        Thread.sleep(7000);
        assertThat(log.read().stream().map(Event::message).toList())
            .as("the page and its resolution, nothing about the targets still down")
            .containsExactly(events.get(0).message(), "resolved: resolved HostDown");
      } finally {
        am.destroy();
        am.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static String hostDown(String now) {
    return web2(now, "HostDown", "host-down");
  }

  // What Prometheus sends from a host's fall on (silent, and inhibited while HostDown fires).
  private static String recovering(String now) {
    return web2(now, "HostRecovering", "host-recovering");
  }

  // A whole-host alert about web2, a Galera member: the labels HostDown and HostRecovering share.
  private static String web2(String now, String name, String incident) {
    return alert(
        now, name, "incident", incident, "host", "web2", "source_host", "web2", "galera", "member");
  }

  private static String alert(String startsAt, String name, String... labels) {
    StringBuilder sb = new StringBuilder("{\"labels\":{\"alertname\":\"" + name + "\"");
    for (int i = 0; i < labels.length; i += 2) {
      sb.append(",\"").append(labels[i]).append("\":\"").append(labels[i + 1]).append('"');
    }
    return sb.append("},\"startsAt\":\"").append(startsAt).append("\"}").toString();
  }

  private static int get(HttpClient http, URI u) {
    try {
      return http.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static int post(HttpClient http, URI u, String body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(u)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static void await(java.util.function.BooleanSupplier c, String what) throws Exception {
    Instant end = Instant.now().plus(Duration.ofSeconds(20));
    while (!c.getAsBoolean()) {
      assertThat(Instant.now()).as("waiting for %s", what).isBefore(end);
      Thread.sleep(100);
    }
  }

  private static String run(List<String> cmd) throws Exception {
    // stdout only: amtool warns on stderr that --config.file overrides --alertmanager.url.
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    return out;
  }
}
