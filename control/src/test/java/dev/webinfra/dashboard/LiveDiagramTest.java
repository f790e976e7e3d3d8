package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.diagram.DotRenderer;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void theRowsAreTheUnitsDiagramLabels() {
    assertThat(LiveDiagram.ROW)
        .as("the rows the dashboard coloured before the units declared them")
        .isEqualTo(
            Map.of(
                "haproxy", "(HAProxy)",
                "keepalived", "keepalived (VRRP)",
                "nginx", "(nginx)",
                "app", "application server",
                "mariadb", "(MariaDB)",
                "garbd", "(garbd)",
                "prometheus", "(Prometheus)",
                "dnsmasq", "(dnsmasq)"));
  }

  @Test
  void everyDeclaredLabelIsInTheDiagramWhereItsDaemonRuns() {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    for (String preset :
        List.of(
            "topologies/single-server",
            "topologies/three-servers",
            "topologies/ha-cluster",
            // A user's app: its row names gunicorn, not Java, and is coloured all the same.
            "examples/flask-guestbook/topology")) {
      Topology t = TopologyLoader.load(root.resolve(preset + ".yaml"));
      String dot = DotRenderer.render(t);
      for (var h : t.hosts()) {
        String box =
            dot.lines()
                .filter(l -> l.startsWith("    \"" + h.name() + "\" [label=<"))
                .findFirst()
                .orElseThrow();
        for (DaemonUnit u : Units.on(t, h)) {
          u.diagramLabel()
              .ifPresent(
                  label ->
                      assertThat(box)
                          .as("%s's row on %s/%s", u.name(), preset, h.name())
                          .contains(label));
        }
      }
    }
  }
}
