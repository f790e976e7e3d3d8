package dev.webinfra.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Step;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each daemon runs, for every unit of the registry on every host of every preset it runs on:
 * its command line, user and environment as the command spells them, the files it is given, the
 * steps before its start, how it is found ready and how it is reloaded. A new unit gets its cases
 * from the registry, without an edit here; its golden files are made with {@code
 * -Dwebinfra.updateGolden=true}.
 */
class DaemonSpecGoldenTest {
  static final List<String> PRESETS =
      List.of("single-server", "three-servers", "ha-cluster", "secured-monitored");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String preset : PRESETS) {
      Topology t = TopologyLoader.load(RenderGoldenTest.PRESETS.resolve(preset + ".yaml"));
      for (Host h : t.hosts()) {
        for (DaemonUnit u : Units.on(t, h)) {
          out.add(Arguments.of(u.name(), preset, h.name(), t, u));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}/{2}")
  @MethodSource("cases")
  void runsAsTheGoldenFileSays(String unit, String preset, String host, Topology t, DaemonUnit u) {
    Host h = t.host(host).orElseThrow();
    DaemonSpec s = u.spec(t, h, RenderGoldenTest.paths(t, h));
    assertThat(s.name()).isEqualTo(unit);
    Golden.assertMatches(
        "units/" + preset + "/" + host + "/" + unit + ".txt", machineNeutral(describe(s)));
  }

  // The JDK and the checkout the lab's own Java daemons run from differ from machine to machine.
  static String machineNeutral(String described) {
    Path checkout = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    return described
        .replace(System.getProperty("java.home"), "$JAVA_HOME")
        .replace(checkout.toString() + "/", "$CHECKOUT/");
  }

  /** The spec as a reviewer reads it: one field a line, files by path and mode, not content. */
  static String describe(DaemonSpec s) {
    StringBuilder b = new StringBuilder();
    b.append("daemon ").append(s.id()).append('\n');
    if (s.user() != null) {
      b.append("user: ").append(s.user()).append('\n');
    }
    if (s.workdir() != null) {
      b.append("workdir: ").append(s.workdir()).append('\n');
    }
    s.environment()
        .forEach((k, v) -> b.append("env: ").append(k).append('=').append(v).append('\n'));
    b.append("command:\n");
    s.command().forEach(a -> b.append("  ").append(a).append('\n'));
    b.append("log: ").append(s.log()).append('\n');
    s.logs().forEach(l -> b.append("also logs: ").append(l).append('\n'));
    for (RenderedFile f : s.files()) {
      b.append("file: ").append(f.path()).append(" (").append(f.mode()).append(")\n");
    }
    for (HostFile f : s.hostFiles()) {
      b.append("host file: ")
          .append(f.path())
          .append(" from ")
          .append(f.source())
          // A secret by its name; a template's text is the file's business, not the command's.
          .append(f.source() == HostFile.Source.SECRET ? " " + f.argument() : "")
          .append(" (")
          .append(f.mode())
          .append(f.owner() == null ? "" : ", " + f.owner())
          .append(")\n");
    }
    s.writes().forEach(w -> b.append("writes: ").append(w).append('\n'));
    s.dirs()
        .forEach(
            d ->
                b.append("dir: ")
                    .append(d.path())
                    .append(d.owner() == null ? "" : " (" + d.owner() + ")")
                    .append('\n'));
    for (Step step : s.beforeStart()) {
      b.append("before start: ")
          .append(step.what())
          .append(": ")
          .append(String.join(" ", step.command()))
          .append('\n');
    }
    b.append("ready when: ").append(String.join(" ", s.readiness().command())).append('\n');
    b.append("reload: ").append(s.reload().kind());
    if (s.reload().signal() != null) {
      b.append(" SIG").append(s.reload().signal());
    }
    if (!s.reload().command().isEmpty()) {
      b.append(" ").append(String.join(" ", s.reload().command()));
    }
    b.append('\n');
    b.append("stop: SIG")
        .append(s.stop().signal())
        .append(", KILL after ")
        .append(s.stop().grace().toSeconds())
        .append(" s\n");
    if (!s.after().isEmpty()) {
      b.append("after: ").append(String.join(" ", s.after())).append('\n');
    }
    return b.toString();
  }
}
