package dev.webinfra.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Units;
import dev.webinfra.render.nftables.NftablesRenderer;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every unit of the registry, on each preset host it declares a golden case for ({@link
 * DaemonUnit#goldenCases}), against its golden files: its spec and the files it renders. A new unit
 * gets its cases from its own declaration, without an edit here. The renderers that are no daemon's
 * (the firewall's ruleset, the resolver's config) are listed here.
 */
class RenderGoldenTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  /** The presets golden cases may name: {@code topologies/NAME.yaml}. */
  static final List<String> PRESET_NAMES =
      List.of("single-server", "three-servers", "ha-cluster", "secured-monitored");

  private static final Map<String, Topology> LOADED = new ConcurrentHashMap<>();

  static Topology preset(String name) {
    return LOADED.computeIfAbsent(name, n -> TopologyLoader.load(PRESETS.resolve(n + ".yaml")));
  }

  interface Renderer {
    List<RenderedFile> render(Topology t, Host h, HostPaths paths);
  }

  // The ruleset admits what the plan derives from every unit's flows.
  static final Renderer NFTABLES =
      (t, h, p) -> NftablesRenderer.render(t, h, p, Flows.inboundRules(t, h));

  static Stream<Arguments> unitCases() {
    List<Arguments> out = new ArrayList<>();
    for (DaemonUnit u : Units.ALL) {
      for (DaemonUnit.GoldenCase c : u.goldenCases()) {
        out.add(Arguments.of(u.name(), c.preset(), c.host(), u));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}/{2}")
  @MethodSource("unitCases")
  void unitsRenderAsTheGoldenFiles(String unit, String preset, String host, DaemonUnit u) {
    Topology t = preset(preset);
    Host h = t.host(host).orElseThrow();
    assertThat(u.runsOn(t, h)).as("%s runs on %s/%s", unit, preset, host).isTrue();
    DaemonSpec spec = u.spec(t, h, paths(t, h));
    String dir = unit + "/" + preset + "-" + host + "/";
    Golden.assertMatches(dir + "spec.txt", DaemonSpecGoldenTest.machineNeutral(describe(spec)));
    assertFiles(dir, spec.files());
    assertThat(u.spec(t, h, paths(t, h))).as("the spec is a pure function").isEqualTo(spec);
  }

  @Test
  void everyUnitThatRendersFilesKeepsGoldenFilesOfThem() {
    for (DaemonUnit u : Units.ALL) {
      for (String preset : PRESET_NAMES) {
        Topology t = preset(preset);
        for (Host h : t.hosts()) {
          if (u.runsOn(t, h)) {
            DaemonSpec s = u.spec(t, h, paths(t, h));
            boolean renders =
                !s.files().isEmpty()
                    || s.hostFiles().stream()
                        .anyMatch(f -> f.source() == HostFile.Source.SECRET_TEMPLATE);
            if (renders) {
              assertThat(u.goldenCases())
                  .as(
                      "%s renders files or file templates on %s/%s, so declares a golden case",
                      u.name(), preset, h.name())
                  .isNotEmpty();
            }
          }
        }
      }
      assertThat(u.goldenCases())
          .as("%s's golden cases name presets", u.name())
          .allMatch(c -> PRESET_NAMES.contains(c.preset()));
    }
  }

  static Stream<Arguments> cases() {
    Topology single = preset("single-server");
    Topology ha = preset("ha-cluster");
    return Stream.of(
        Arguments.of("nftables", "ha-cluster", ha, "lb1", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "web1", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "web3", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "dns", NFTABLES),
        Arguments.of("nftables", "ha-cluster", ha, "mon", NFTABLES),
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
    assertFiles(daemon + "/" + preset + "-" + host + "/", files);
  }

  @ParameterizedTest(name = "{0} is deterministic")
  @MethodSource("cases")
  void renderingIsPure(String daemon, String preset, Topology t, String host, Renderer renderer) {
    Host h = t.host(host).orElseThrow();
    assertThat(renderer.render(t, h, paths(t, h))).isEqualTo(renderer.render(t, h, paths(t, h)));
  }

  private static void assertFiles(String dir, List<RenderedFile> files) {
    for (RenderedFile f : files) {
      Golden.assertMatches(dir + f.path().getFileName(), f.content());
      assertThat(f.mode().charAt(6))
          .as("rendered files are never secret, so may be world-readable")
          .isEqualTo('r');
      assertThat(f.mode().charAt(7)).as("and never writable by others").isEqualTo('-');
    }
  }

  // The lab's layout, so that the golden files read as the lab's paths do.
  static HostPaths paths(Topology t, Host h) {
    return new HostPaths(Path.of("/var/lib/webinfra", t.lab(), "hosts", h.name()));
  }

  /** A spec as readable text, one part per section. */
  static String describe(DaemonSpec s) {
    StringBuilder sb = new StringBuilder("unit: " + s.id() + "\ncommand:\n");
    s.commandLine().forEach(c -> sb.append("  ").append(c).append('\n'));
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
