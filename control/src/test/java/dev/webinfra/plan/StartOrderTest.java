package dev.webinfra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The units' declared order ({@link DaemonSpec#after()}, what a service manager orders starts by)
 * and the registry's start order, which the lab follows, agree on every preset.
 */
class StartOrderTest {

  @Test
  void everyUnitStartsAfterWhatItDeclaresOnItsHost() throws IOException {
    List<Path> presets;
    try (Stream<Path> s = Files.list(PlannerTest.PRESETS)) {
      presets = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(presets).isNotEmpty();
    int declared = 0;
    for (Path preset : presets) {
      Topology t = TopologyLoader.load(preset);
      for (Host h : t.hosts()) {
        List<String> order = Units.on(t, h).stream().map(DaemonUnit::name).toList();
        HostPaths paths = new HostPaths(Path.of("/lab", h.name()));
        for (DaemonUnit u : Units.on(t, h)) {
          for (String before : u.spec(t, h, paths).after()) {
            assertThat(Units.named(before))
                .as("%s declares it starts after %s, a unit", u.name(), before)
                .isPresent();
            if (order.contains(before)) {
              declared++;
              assertThat(order.indexOf(before))
                  .as("%s on %s of %s starts after %s", u.name(), h.name(), preset, before)
                  .isLessThan(order.indexOf(u.name()));
            }
          }
        }
      }
    }
    assertThat(declared).as("orderings declared on a host that runs both").isPositive();
  }
}
