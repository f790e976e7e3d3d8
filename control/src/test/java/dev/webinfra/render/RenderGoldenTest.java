package dev.webinfra.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Flows;
import dev.webinfra.render.app.AppRenderer;
import dev.webinfra.render.dnsmasq.DnsmasqRenderer;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.keepalived.KeepalivedRenderer;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.render.nftables.NftablesRenderer;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every renderer, on every host of the single-server preset, against its golden files. */
class RenderGoldenTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  interface Renderer {
    List<RenderedFile> render(Topology t, Host h, HostPaths paths);
  }

  // The ruleset admits what the plan derives from every unit's flows.
  static final Renderer NFTABLES =
      (t, h, p) -> NftablesRenderer.render(t, h, p, Flows.inboundRules(t, h));

  static Stream<Arguments> cases() {
    Topology single = TopologyLoader.load(PRESETS.resolve("single-server.yaml"));
    Topology three = TopologyLoader.load(PRESETS.resolve("three-servers.yaml"));
    Topology ha = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    return Stream.of(
        Arguments.of("haproxy", "three-servers", three, "lb1", (Renderer) HaproxyRenderer::render),
        Arguments.of("haproxy", "ha-cluster", ha, "lb2", (Renderer) HaproxyRenderer::render),
        Arguments.of("keepalived", "ha-cluster", ha, "lb1", (Renderer) KeepalivedRenderer::render),
        Arguments.of("keepalived", "ha-cluster", ha, "lb2", (Renderer) KeepalivedRenderer::render),
        Arguments.of(
            "vip-guard",
            "ha-cluster",
            ha,
            "lb1",
            (Renderer) (t, h, p) -> List.of(KeepalivedRenderer.guard(t, h, p))),
        Arguments.of("mariadb", "three-servers", three, "web1", (Renderer) MariadbRenderer::render),
        Arguments.of("mariadb", "three-servers", three, "web2", (Renderer) MariadbRenderer::render),
        Arguments.of("mariadb", "ha-cluster", ha, "web1", (Renderer) MariadbRenderer::render),
        Arguments.of("mariadb", "ha-cluster", ha, "web3", (Renderer) MariadbRenderer::render),
        Arguments.of("app", "three-servers", three, "web2", (Renderer) AppRenderer::render),
        Arguments.of("app", "ha-cluster", ha, "web1", (Renderer) AppRenderer::render),
        Arguments.of("dnsmasq", "ha-cluster", ha, "dns", (Renderer) DnsmasqRenderer::render),
        Arguments.of("nftables", "ha-cluster", ha, "lb1", NFTABLES),
        Arguments.of("nginx", "ha-cluster", ha, "web1", (Renderer) NginxRenderer::render),
        Arguments.of("nftables", "ha-cluster", ha, "web1", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "web3", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "dns", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "mon", NFTABLES),
        Arguments.of("dnsmasq", "single-server", single, "dns", (Renderer) DnsmasqRenderer::render),
        Arguments.of("nginx", "single-server", single, "web1", (Renderer) NginxRenderer::render),
        Arguments.of(
            "mariadb", "single-server", single, "web1", (Renderer) MariadbRenderer::render),
        Arguments.of("app", "single-server", single, "web1", (Renderer) AppRenderer::render),
        Arguments.of(
            "resolv", "single-server", single, "client", (Renderer) ResolvRenderer::render),
        Arguments.of("resolv", "ha-cluster", ha, "client", (Renderer) ResolvRenderer::render),
        Arguments.of("resolv", "ha-cluster", ha, "web1", (Renderer) ResolvRenderer::render));
  }

  @ParameterizedTest(name = "{0} on {1}/{3}")
  @MethodSource("cases")
  void rendersAsTheGoldenFiles(
      String daemon, String preset, Topology t, String host, Renderer renderer) {
    Host h = t.host(host).orElseThrow();
    List<RenderedFile> files = renderer.render(t, h, paths(t, h));
    assertThat(files).as("%s renders something for %s", daemon, host).isNotEmpty();
    for (RenderedFile f : files) {
      Golden.assertMatches(
          daemon + "/" + preset + "-" + host + "/" + f.path().getFileName(), f.content());
      assertThat(f.mode().charAt(6))
          .as("rendered files are never secret, so may be world-readable")
          .isEqualTo('r');
      assertThat(f.mode().charAt(7)).as("and never writable by others").isEqualTo('-');
    }
  }

  @ParameterizedTest(name = "{0} is deterministic")
  @MethodSource("cases")
  void renderingIsPure(String daemon, String preset, Topology t, String host, Renderer renderer) {
    Host h = t.host(host).orElseThrow();
    assertThat(renderer.render(t, h, paths(t, h))).isEqualTo(renderer.render(t, h, paths(t, h)));
  }

  // The lab's layout, so that the golden files read as the lab's paths do.
  static HostPaths paths(Topology t, Host h) {
    return new HostPaths(Path.of("/var/lib/webinfra", t.lab(), "hosts", h.name()));
  }
}
