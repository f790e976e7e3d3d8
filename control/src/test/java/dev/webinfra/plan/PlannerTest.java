package dev.webinfra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.render.app.DatabaseEndpoints;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlannerTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  private static java.util.List<String> names(Topology t, dev.webinfra.topology.Host h) {
    return Units.on(t, h).stream().map(dev.webinfra.daemon.DaemonUnit::name).toList();
  }

  @Test
  void haClusterRunsEachRoleItsDaemonsInStartOrder() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(names(t, t.host("lb1").orElseThrow()))
        .containsExactly("haproxy", "keepalived", "vip-guard", "node-exporter");
    assertThat(names(t, t.host("web3").orElseThrow()))
        .containsExactly(
            "mariadb", "mysqld-exporter", "app", "nginx", "nginx-exporter", "node-exporter");
    assertThat(names(t, t.host("mon").orElseThrow()))
        .as(
            "arbitrator of a galera cluster, the floating IP's witness, its monitoring server and"
                + " Alertmanager")
        .containsExactly("garbd", "witness", "node-exporter", "alertmanager", "prometheus");
    assertThat(names(t, t.host("client").orElseThrow())).isEmpty();
  }

  @Test
  void aSingleLoadBalancerWithoutVipRunsNoKeepalived() {
    Topology t = TopologyLoader.load(PRESETS.resolve("three-servers.yaml"));

    assertThat(names(t, t.host("lb1").orElseThrow())).containsExactly("haproxy");
  }

  @Test
  void galeraAppsWriteToEveryMemberTheirOwnFirst() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(DatabaseEndpoints.writeEndpoint(t, t.host("web2").orElseThrow()))
        .isEqualTo(
            "jdbc:mariadb:sequential://198.18.7.22:3306,198.18.7.21:3306/webinfra"
                + "?galeraAllowedState=4,2");
    assertThat(DatabaseEndpoints.readEndpoint(t, t.host("web3").orElseThrow()))
        .isEqualTo("jdbc:mariadb://198.18.7.23:3306/webinfra");
  }
}
