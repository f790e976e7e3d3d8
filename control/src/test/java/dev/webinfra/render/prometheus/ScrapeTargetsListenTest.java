package dev.webinfra.render.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Listener;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every scrape target is an address and port where the target's daemon listens, as its unit
 * declares: also for a monitoring host on both networks, which shares the load balancers' public
 * side, where HAProxy's stats do not listen.
 */
class ScrapeTargetsListenTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  static Stream<Arguments> topologies() {
    return Stream.of(
        Arguments.of("ha-cluster", TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"))),
        Arguments.of(
            "secured-monitored", TopologyLoader.load(PRESETS.resolve("secured-monitored.yaml"))),
        Arguments.of(
            "mon-on-both-networks",
            TopologyLoader.load(
                Path.of("src/test/resources/topologies/mon-on-both-networks.yaml"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void everyTargetIsWhereItsDaemonListens(String name, Topology t) {
    for (Host m : t.hostsWith(Role.MONITOR)) {
      for (ScrapeTarget tg : ScrapeTargets.of(t, m, Units.ALL)) {
        Host h = t.host(tg.host()).orElseThrow();
        Ipv4 address = Ipv4.parse(tg.address()).orElseThrow();
        assertThat(
                Units.on(t, h).stream()
                    .flatMap(u -> u.listeners(t, h).stream())
                    .filter(l -> l.port() == tg.port())
                    .map(Listener::addresses))
            .as("%s: job %s on %s at %s", name, tg.job(), tg.host(), tg.endpoint())
            .anySatisfy(addresses -> assertThat(addresses).contains(address));
        assertThat(m.attachments())
            .as("%s: %s reaches %s on a network it shares", name, m.name(), tg.endpoint())
            .anyMatch(a -> t.network(a.network()).orElseThrow().cidr().contains(address));
      }
    }
  }
}
