package dev.webinfra.render.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Units;
import dev.webinfra.render.mysqldexporter.MysqldExporterUnit;
import dev.webinfra.render.nginxexporter.NginxExporterUnit;
import dev.webinfra.render.nodeexporter.NodeExporterUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The monitoring units (Prometheus and the exporters) on the presets: where agents run, what
 * Prometheus scrapes and that the firewall lets it. Their golden files come from the registry, with
 * every unit's ({@code RenderGoldenTest}).
 */
class MonitoringUnitsGoldenTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
  static final Topology SECURED = TopologyLoader.load(PRESETS.resolve("secured-monitored.yaml"));

  @Test
  void agentsRunOnlyWhereAMonitoringHostCanReachThem() {
    // Each name server has an address on private, where the monitoring host scrapes it.
    Host dns = HA.host("dns2").orElseThrow();
    Host client = HA.host("client").orElseThrow();
    assertThat(new NodeExporterUnit().runsOn(HA, dns)).isTrue();
    assertThat(Agents.listenAddresses(HA, dns))
        .as("a name server's agents listen on its private side only")
        .extracting(Object::toString)
        .containsExactly("198.18.7.3");
    assertThat(new NodeExporterUnit().runsOn(HA, client)).as("agent: false").isFalse();
    assertThat(Agents.listenAddresses(HA, HA.host("lb1").orElseThrow()))
        .as("an LB's agents listen on its private side only")
        .extracting(Object::toString)
        .containsExactly("198.18.7.11");
    assertThat(new MysqldExporterUnit().runsOn(HA, HA.host("lb1").orElseThrow())).isFalse();
    assertThat(new NginxExporterUnit().runsOn(HA, HA.host("mon").orElseThrow())).isFalse();
  }

  @Test
  void everyScrapeTargetIsNamedByItsHost() {
    List<ScrapeTarget> targets = ScrapeTargets.of(HA, HA.host("mon").orElseThrow(), Units.ALL);
    assertThat(targets)
        .extracting(tg -> tg.job() + "/" + tg.host())
        .contains(
            "node/lb1",
            "node/lb2",
            "node/web1",
            "node/web3",
            "node/mon",
            "node/dns",
            "node/dns2",
            "mysqld/web1",
            "mysqld/web3",
            "nginx/web2",
            "haproxy/lb1",
            "haproxy/lb2",
            "app/web1",
            "app/web3")
        .doesNotContain("node/client");
  }

  @ParameterizedTest(name = "the firewall lets {0}'s monitoring host scrape every target")
  @MethodSource("presets")
  void theFirewallOpensEveryScrapeTargetToItsMonitoringHost(String name, Topology t) {
    for (Host m : t.hostsWith(dev.webinfra.topology.Role.MONITOR)) {
      for (ScrapeTarget tg : ScrapeTargets.of(t, m, Units.ALL)) {
        if (tg.host().equals(m.name())) {
          continue;
        }
        assertThat(Flows.required(t))
            .as("flow %s -> %s:%d for job %s", m.name(), tg.host(), tg.port(), tg.job())
            .anyMatch(
                f ->
                    f.from().equals(m.name()) && f.to().equals(tg.host()) && f.port() == tg.port());
      }
    }
    assertThat(Flows.blocked(t)).as("no needed flow is dropped").isEmpty();
  }

  static Stream<Arguments> presets() {
    return Stream.of(Arguments.of("ha-cluster", HA), Arguments.of("secured-monitored", SECURED));
  }

  @Test
  void prometheusScrapesWhatItsUnitsDeclareWithTheirPathAndLabels() {
    // An agent of the test's own on every host that runs agents, with a path and a label of its
    // own.
    DaemonUnit agent =
        new DaemonUnit() {
          @Override
          public String name() {
            return "test-agent";
          }

          @Override
          public boolean runsOn(Topology t, Host host) {
            return Agents.runsAgents(t, host);
          }

          @Override
          public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
            throw new UnsupportedOperationException("not started here");
          }

          @Override
          public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
            return Agents.scrapedBy(t, host, monitor)
                ? List.of(
                    new ScrapeTarget(
                        "test-agent",
                        host.name(),
                        host.addressFor(monitor).toString(),
                        9999,
                        "/probe",
                        "http",
                        Map.of("tier", "test")))
                : List.of();
          }
        };
    List<DaemonUnit> units = new ArrayList<>(Units.ALL);
    units.add(0, agent);
    Host mon = HA.host("mon").orElseThrow();
    String config =
        new PrometheusUnit(() -> units)
            .spec(HA, mon, new HostPaths(Path.of("/srv/webinfra/ha/mon")))
            .files()
            .get(0)
            .content();
    assertThat(config)
        .as("a job not in the usual order comes last, with its path and labels")
        .contains(
            "  - job_name: test-agent\n    metrics_path: /probe\n    static_configs:\n",
            "      - targets: ['198.18.7.11:9999']\n        labels: {instance: lb1, tier: test}")
        .doesNotContain("instance: client, tier");
    assertThat(config.indexOf("job_name: test-agent"))
        .as("after every job the scrape config has always listed")
        .isGreaterThan(config.indexOf("job_name: app"));
    assertThat(config.replaceAll("(?s)\n  - job_name: test-agent\n.*?(?=\n  - job_name|$)", ""))
        .as("and nothing else changes")
        .isEqualTo(
            new PrometheusUnit(() -> Units.ALL)
                .spec(HA, mon, new HostPaths(Path.of("/srv/webinfra/ha/mon")))
                .files()
                .get(0)
                .content());
  }
}
