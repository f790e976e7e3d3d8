package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The live diagram colours the design's hosts and daemons by state, and nothing else. */
class LiveDiagramTest {
  static final Topology HA =
      TopologyLoader.load(
          Path.of(System.getProperty("user.dir"))
              .resolveSibling("topologies")
              .resolve("ha-cluster.yaml"));

  @Test
  void aStoppedHostIsFramedRedAndItsDaemonsFilledRed() {
    String dot = LiveDiagram.dot(HA, new TestDashboardData(HA).status());
    String web2 =
        dot.lines().filter(l -> l.startsWith("    \"web2\" [label=<")).findFirst().orElseThrow();
    String web1 =
        dot.lines().filter(l -> l.startsWith("    \"web1\" [label=<")).findFirst().orElseThrow();
    assertThat(web2)
        .contains("BORDER=\"3\"", "COLOR=\"#c62828\"", "BGCOLOR=\"#ef9a9a\">web server (nginx)");
    assertThat(web1).contains("COLOR=\"#2e7d32\"", "BGCOLOR=\"#a5d6a7\">database (MariaDB)");
    assertThat(dot.lines().filter(l -> !l.startsWith("    \"")).toList())
        .as("edges and networks are drawn as diagram draws them")
        .isEqualTo(
            dev.webinfra.diagram.DotRenderer.render(HA)
                .lines()
                .filter(l -> !l.startsWith("    \""))
                .toList());
  }
}
