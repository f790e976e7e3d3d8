package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.Flow;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.dnsmasq.DnsmasqUnit;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check counts name servers like any other tier: one is a single point of failure, two are not,
 * and each must be reachable by the monitoring host like any other agent.
 */
class DnsRedundancyTest {
  static final Path DNS = Path.of("src/test/resources/topologies/dns");

  static List<Finding> findings(Topology t, String id) {
    return Analyzer.analyze(t).stream().filter(f -> f.id().equals(id)).toList();
  }

  @Test
  void haClusterHasTwoMonitoredNameServersAndNoDnsOrMonitoringFinding() {
    Topology t = TopologyLoader.load(AnalyzerTest.PRESETS.resolve("ha-cluster.yaml"));
    assertThat(findings(t, "SPOF_DNS")).as("SPOF_DNS on ha-cluster").isEmpty();
    assertThat(findings(t, "MONITORING_GAP")).as("MONITORING_GAP on ha-cluster").isEmpty();
    Topology secured = TopologyLoader.load(AnalyzerTest.PRESETS.resolve("secured-monitored.yaml"));
    assertThat(findings(secured, "SPOF_DNS")).as("SPOF_DNS on secured-monitored").isEmpty();
    assertThat(findings(secured, "MONITORING_GAP")).as("on secured-monitored").isEmpty();
  }

  @Test
  void oneNameServerIsStillASinglePointOfFailure() {
    Topology t = TopologyLoader.load(DNS.resolve("one-name-server.yaml"));
    assertThat(findings(t, "SPOF_DNS"))
        .singleElement()
        .satisfies(f -> assertThat(f.hosts()).containsExactly("dns"));
    assertThat(findings(t, "MONITORING_GAP")).as("dns is on private, beside mon").isEmpty();
    assertThat(Resilience.of(t).cutVertices()).containsExactly("dns");
  }

  @Test
  void nameServersTheMonitoringHostCannotReachAreAGap() {
    Topology t = TopologyLoader.load(DNS.resolve("name-servers-public-only.yaml"));
    assertThat(findings(t, "SPOF_DNS")).isEmpty();
    assertThat(findings(t, "MONITORING_GAP"))
        .singleElement()
        .satisfies(f -> assertThat(f.hosts()).containsExactly("dns", "dns2"));
  }

  @Test
  void everyHostsResolverListsBothNameServersAndTheFirewallLetsEveryNeighbourAsk() {
    Topology t = TopologyLoader.load(AnalyzerTest.PRESETS.resolve("ha-cluster.yaml"));
    for (String name : List.of("client", "lb1", "web1", "mon")) {
      Host h = t.host(name).orElseThrow();
      String resolv = ResolvRenderer.render(t, h, new HostPaths(Path.of("/x"))).get(0).content();
      assertThat(resolv)
          .as("resolv.conf of %s", name)
          .contains("nameserver " + t.host("dns").orElseThrow().addressFor(h))
          .contains("nameserver " + t.host("dns2").orElseThrow().addressFor(h))
          .contains("options timeout:1 attempts:2 rotate");
    }
    assertThat(new DnsmasqUnit().inbound(t, t.host("dns2").orElseThrow()))
        .extracting(Flow::from)
        .as("who may ask dns2")
        .contains("client", "lb1", "web1", "mon");
  }
}
