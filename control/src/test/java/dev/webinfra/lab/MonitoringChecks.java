package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.render.prometheus.PrometheusUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What a lab's monitoring must show, asked of its real Prometheus from inside the monitor host. */
final class MonitoringChecks {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LabFixture lab;
  private final Topology t;
  private final Host mon;

  MonitoringChecks(LabFixture lab) {
    this.lab = lab;
    this.t = TopologyLoader.load(lab.topologyFile());
    this.mon = t.hostsWith(Role.MONITOR).get(0);
  }

  JsonNode api(String pathAndQuery) throws Exception {
    ExecResult r =
        lab.exec(
            mon.name(), "curl", "-sf", "--max-time", "5", PrometheusUnit.url(mon) + pathAndQuery);
    assertThat(r.ok()).as("Prometheus answers %s: %s", pathAndQuery, r.stderr()).isTrue();
    return JSON.readTree(r.stdout());
  }

  /** "job instance" of every target the design asks for, from the model. */
  Set<String> expectedTargets() {
    Set<String> out = new TreeSet<>();
    out.add("prometheus " + mon.name());
    for (Host h : t.hosts()) {
      if (Agents.runsAgents(t, h)) {
        out.add("node " + h.name());
        if (h.has(Role.DB)) {
          out.add("mysqld " + h.name());
        }
        if (h.has(Role.WEB)) {
          out.add("nginx " + h.name());
          out.add("app " + h.name());
        }
      }
      if (h.has(Role.LB)) {
        out.add("haproxy " + h.name());
      }
    }
    return out;
  }

  /** Within 90 s, every target is up, and they are exactly the ones the model asks for. */
  void everyTargetIsUp() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              Set<String> seen = new TreeSet<>();
              List<String> notUp = new ArrayList<>();
              for (JsonNode target : api("/api/v1/targets").path("data").path("activeTargets")) {
                String id =
                    target.path("labels").path("job").asText()
                        + " "
                        + target.path("labels").path("instance").asText();
                seen.add(id);
                if (!target.path("health").asText().equals("up")) {
                  notUp.add(id + " (" + target.path("lastError").asText() + ")");
                }
              }
              assertThat(seen).as("the scrape targets").isEqualTo(expectedTargets());
              assertThat(notUp).as("targets not up").isEmpty();
            });
  }

  /** Each load balancer of the floating IP reports its VRRP state, and exactly one is MASTER. */
  void theFloatingIpHolderIsReported() {
    if (t.vip().isEmpty()) {
      return;
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Set<String> reporting = new TreeSet<>();
              Set<String> masters = new TreeSet<>();
              for (JsonNode r :
                  api("/api/v1/query?query=webinfra_vrrp_state").path("data").path("result")) {
                String lb = r.path("metric").path("instance").asText();
                reporting.add(lb);
                if (r.path("metric").path("state").asText().equals("MASTER")
                    && r.path("value").get(1).asText().equals("1")) {
                  masters.add(lb);
                }
              }
              assertThat(reporting)
                  .as("load balancers reporting VRRP state")
                  .containsExactlyElementsOf(
                      t.hostsWith(Role.LB).stream().map(Host::name).sorted().toList());
              assertThat(masters).as("MASTER").hasSize(1);
            });
  }

  /** The firing alerts that name {@code host}, as {@code status --json} shows them. */
  static List<String> alertsNaming(String lab, String host) throws Exception {
    JsonNode status = JSON.readTree(CliRun.of("status", "--json", "--lab", lab).out());
    List<String> out = new ArrayList<>();
    for (JsonNode a : status.path("alerts")) {
      if (host.equals(a.path("instance").asText())) {
        out.add(a.path("name").asText());
      }
    }
    return out;
  }

  /**
   * The titles of the incidents in {@code status --json} ({@code HostDown web2}): the open ones, or
   * those resolved recently.
   */
  static List<String> incidents(String lab, boolean open) throws Exception {
    JsonNode status = JSON.readTree(CliRun.of("status", "--json", "--lab", lab).out());
    return titles(status.path("incidents"), open);
  }

  /** The titles of the open (or resolved) incidents in a JSON list of them, in its order. */
  static List<String> titles(JsonNode incidents, boolean open) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : incidents) {
      if (i.path("resolved").isMissingNode() || i.path("resolved").isNull() ? open : !open) {
        out.add(i.path("title").asText());
      }
    }
    return out;
  }

  /**
   * The live dashboard's {@code /api/status}, asked from the machine as a program does: the lab's
   * token in a header from a 0600 file (never on a command line), the lab CA trusted.
   */
  static JsonNode dashboardStatus(String lab) throws Exception {
    Path dir = Path.of("/var/lib/webinfra", lab);
    String token = Files.readString(dir.resolve("secrets/dashboard-token.password")).strip();
    try (TokenHeader header = TokenHeader.of(token)) {
      ExecResult r =
          Shell.run(
              List.of(
                  "curl",
                  "-sf",
                  "--cacert",
                  dir.resolve("ca.crt").toString(),
                  "-K",
                  header.path(),
                  dashboardUrl(lab).replaceAll("/$", "") + "/api/status"),
              null,
              Duration.ofSeconds(90));
      assertThat(r.ok()).as("the dashboard's /api/status: %s", r.stderr()).isTrue();
      return JSON.readTree(r.stdout());
    }
  }

  /** The dashboard's URL, as {@code status --json} gives it. */
  static String dashboardUrl(String lab) throws Exception {
    JsonNode status = JSON.readTree(CliRun.of("status", "--json", "--lab", lab).out());
    assertThat(status.path("dashboard").path("url").isTextual())
        .as("status --json has dashboard.url: %s", status)
        .isTrue();
    return status.path("dashboard").path("url").asText();
  }
}
