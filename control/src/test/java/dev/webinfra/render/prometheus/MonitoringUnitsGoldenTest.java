package dev.webinfra.render.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Flows;
import dev.webinfra.render.Golden;
import dev.webinfra.render.alertmanager.AlertmanagerUnit;
import dev.webinfra.render.mysqldexporter.MysqldExporterUnit;
import dev.webinfra.render.nginxexporter.NginxExporterUnit;
import dev.webinfra.render.nodeexporter.NodeExporterUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The monitoring units (Prometheus and the exporters) on the presets, against golden files: their
 * rendered files and their whole spec (command line, secret templates, readiness, reload).
 */
class MonitoringUnitsGoldenTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
  static final Topology SECURED = TopologyLoader.load(PRESETS.resolve("secured-monitored.yaml"));

  static HostPaths paths(Topology t, String host) {
    return new HostPaths(Path.of("/srv/webinfra", t.lab(), host));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(new PrometheusUnit(), "ha-cluster", HA, "mon"),
        Arguments.of(new PrometheusUnit(), "secured-monitored", SECURED, "mon"),
        Arguments.of(new AlertmanagerUnit(), "ha-cluster", HA, "mon"),
        Arguments.of(new NodeExporterUnit(), "ha-cluster", HA, "lb1"),
        Arguments.of(new NodeExporterUnit(), "ha-cluster", HA, "web1"),
        Arguments.of(new MysqldExporterUnit(), "ha-cluster", HA, "web3"),
        Arguments.of(new NginxExporterUnit(), "ha-cluster", HA, "web2"));
  }

  @ParameterizedTest(name = "{0} on {1}/{3}")
  @MethodSource("cases")
  void specAndFilesMatchTheGoldenFiles(DaemonUnit unit, String preset, Topology t, String host) {
    Host h = t.host(host).orElseThrow();
    assertThat(unit.runsOn(t, h)).as("%s runs on %s", unit.name(), host).isTrue();
    DaemonSpec spec = unit.spec(t, h, paths(t, host));
    String dir = unit.name() + "/" + preset + "-" + host + "/";
    Golden.assertMatches(dir + "spec.txt", describe(spec));
    for (RenderedFile f : spec.files()) {
      Golden.assertMatches(dir + f.path().getFileName(), f.content());
      assertThat(f.mode().charAt(7))
          .as("rendered files are never writable by others")
          .isEqualTo('-');
    }
    assertThat(unit.spec(t, h, paths(t, host))).as("the spec is a pure function").isEqualTo(spec);
  }

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
    List<ScrapeTargets.Target> targets = ScrapeTargets.of(HA, HA.host("mon").orElseThrow());
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
      for (ScrapeTargets.Target tg : ScrapeTargets.of(t, m)) {
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

  /** A spec as readable text, one part per section. */
  static String describe(DaemonSpec s) {
    StringBuilder sb = new StringBuilder("unit: " + s.id() + "\ncommand:\n");
    s.command().forEach(c -> sb.append("  ").append(c).append('\n'));
    sb.append("log: ").append(s.log()).append('\n');
    sb.append("files:\n");
    s.files()
        .forEach(f -> sb.append("  ").append(f.path()).append(" ").append(f.mode()).append('\n'));
    sb.append("hostFiles:\n");
    for (HostFile f : s.hostFiles()) {
      sb.append("  ")
          .append(f.path())
          .append(" ")
          .append(f.source())
          .append(" ")
          .append(f.mode())
          .append(" owner=")
          .append(f.owner())
          .append('\n');
      if (f.source() == HostFile.Source.SECRET_TEMPLATE) {
        sb.append(f.argument().lines().map(l -> "    | " + l).collect(Collectors.joining("\n")))
            .append('\n');
      }
    }
    sb.append("dirs:\n");
    s.dirs()
        .forEach(
            d -> sb.append("  ").append(d.path()).append(" owner=").append(d.owner()).append('\n'));
    sb.append("readiness: ").append(String.join(" ", s.readiness().command())).append('\n');
    sb.append("beforeStart:\n");
    s.beforeStart()
        .forEach(
            st ->
                sb.append("  ")
                    .append(st.what())
                    .append(": ")
                    .append(String.join(" ", st.command()))
                    .append('\n'));
    sb.append("reload: ").append(s.reload()).append('\n');
    return sb.toString();
  }
}
