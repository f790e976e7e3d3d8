package dev.webinfra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.Flow;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FlowsTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  @Test
  void haClusterNeedsReplicationGaleraVrrpAndTlsBackends() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(Flows.required(t))
        .extracting(Flow::describe)
        .contains("web3 -> web2:3306/tcp (replication)")
        .contains("mon -> web1:4567/tcp (Galera group communication)")
        .contains("lb1 -> lb2 vrrp (VRRP adverts for the floating IP)")
        .contains("lb2 -> web3:443/tcp (requests and health checks)")
        .contains("client -> lb1:443/tcp (HTTPS)");
    assertThat(Flows.blocked(t)).as("the derived rules allow every needed flow").isEmpty();
  }

  @Test
  void derivedRulesOpenTheDatabaseOnlyToWhoNeedsIt() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(Flows.inboundRules(t, t.host("web2").orElseThrow()))
        .contains(new FirewallRule(3306, FirewallRule.Proto.TCP, java.util.List.of("web1", "web3")))
        .as("app and database hosts only")
        .noneMatch(r -> r.port() == 3306 && r.from().contains("any"));
    assertThat(Flows.inboundRules(t, t.host("lb1").orElseThrow()))
        .contains(new FirewallRule(443, FirewallRule.Proto.TCP, java.util.List.of("any")));
  }
}
