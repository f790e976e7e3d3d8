package dev.webinfra.diagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.render.Golden;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DiagramTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Path BROKEN = Path.of("src/test/resources/topologies/broken");

  static Stream<Path> topologies() throws Exception {
    try (Stream<Path> broken = Files.list(BROKEN)) {
      return Stream.concat(
          Stream.of("single-server", "three-servers", "secured-monitored", "ha-cluster")
              .map(p -> PRESETS.resolve(p + ".yaml")),
          broken.sorted().toList().stream());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void dotSourceMatchesItsGolden(Path file) {
    String name = file.getFileName().toString().replace(".yaml", "");
    Golden.assertMatches(
        "diagram/" + name + "/diagram.dot", DotRenderer.render(TopologyLoader.load(file)));
  }

  @Test
  void haClusterShowsTheFloatingIpEveryHostAndTheDirectionOfReplication() {
    String dot = DotRenderer.render(TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml")));

    assertThat(dot)
        .contains("floating IP\\n198.18.6.100")
        .contains("vip -> \"lb1\" [label=\"active\"")
        .contains("vip -> \"lb2\" [label=\"passive (takes over)\"");
    for (String host :
        new String[] {"client", "dns", "lb1", "lb2", "web1", "web2", "web3", "mon"}) {
      assertThat(dot).as("host %s is drawn", host).contains("<B>" + host + "</B>");
    }
    assertThat(dot)
        .as("replication flows from web2 to web3")
        .contains("\"web2\" -> \"web3\" [label=\"async replication (GTID)\"");
    assertThat(dot).contains("subgraph cluster_public").contains("subgraph cluster_private");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void graphvizRendersSvgAndPng(Path file, @TempDir Path out) throws Exception {
    assumeTrue(
        Graphviz.available(),
        "Graphviz's dot is not installed (Debian package graphviz; ./test installs it)");
    Topology t = TopologyLoader.load(file);
    Graphviz.write(DotRenderer.render(t), out.resolve("d.svg"));
    Graphviz.write(DotRenderer.render(t), out.resolve("d.png"));

    assertThat(Files.readString(out.resolve("d.svg")))
        .contains("<svg")
        .contains(t.hosts().get(0).name());
    byte[] png = Files.readAllBytes(out.resolve("d.png"));
    assertThat(png.length).isGreaterThan(1000);
    assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
