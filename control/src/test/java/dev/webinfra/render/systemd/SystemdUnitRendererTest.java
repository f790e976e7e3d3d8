package dev.webinfra.render.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Step;
import dev.webinfra.daemon.Stop;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Units;
import dev.webinfra.render.Golden;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The systemd unit of every daemon of the ha-cluster preset and of the Flask example (a user's app,
 * with its environment), laid out as on a server, against golden files; and systemd's own reading
 * of them ({@code systemd-analyze verify}) finds nothing to say.
 */
class SystemdUnitRendererTest {
  static final Path HOME = Path.of(System.getProperty("user.dir")).getParent();

  static final Map<String, Path> TOPOLOGIES =
      Map.of(
          "ha-cluster", HOME.resolve("topologies/ha-cluster.yaml"),
          "flask", HOME.resolve("examples/flask-guestbook/topology.yaml"));

  record Case(String topology, Host host, DaemonUnit unit, Topology t) {
    DaemonSpec spec() {
      return unit.spec(t, host, HostPaths.server());
    }

    RenderedFile rendered() {
      return SystemdUnitRenderer.render(spec(), HostPaths.server());
    }
  }

  static List<Case> all() {
    List<Case> out = new ArrayList<>();
    for (Map.Entry<String, Path> e : new java.util.TreeMap<>(TOPOLOGIES).entrySet()) {
      Topology t = TopologyLoader.load(e.getValue());
      for (Host h : t.hosts()) {
        // The Flask example differs from ha-cluster in its app only.
        for (DaemonUnit u : Units.on(t, h)) {
          if (e.getKey().equals("ha-cluster") || u.name().equals("app")) {
            out.add(new Case(e.getKey(), h, u, t));
          }
        }
      }
    }
    return out;
  }

  static Stream<Arguments> cases() {
    return all().stream().map(c -> Arguments.of(c.unit().name(), c.topology(), c.host().name(), c));
  }

  // The JDK the lab's own Java daemons run from differs from machine to machine.
  static String machineNeutral(String text) {
    return text.replace(System.getProperty("java.home"), "$JAVA_HOME")
        .replace(HOME.toString() + "/", "$CHECKOUT/");
  }

  @ParameterizedTest(name = "{0} on {1}/{2}")
  @MethodSource("cases")
  void rendersAsTheGoldenFileSays(String unit, String topology, String host, Case c) {
    RenderedFile f = c.rendered();
    assertThat(f.path()).hasToString("/etc/systemd/system/webinfra-" + unit + ".service");
    Golden.assertMatches(
        "systemd/" + topology + "/" + host + "/webinfra-" + unit + ".service",
        machineNeutral(f.content()));
  }

  @Test
  void aUserRunsAsItselfWithItsEnvironmentAndTheRestIsReadOnly() {
    DaemonSpec spec =
        DaemonSpec.builder(
                "web1",
                "shop",
                List.of("/usr/bin/shop", "--greeting", "hello world", "--cost=$5", "100%"),
                Path.of("/var/log/webinfra/shop.out"))
            .user("shop")
            .workdir(Path.of("/srv/shop"))
            .environment(new LinkedHashMap<>(Map.of("QUOTE", "say \"hi\"")))
            .environment(Map.of("PCT", "50%"))
            .writes(Path.of("/var/lib/webinfra/data/shop"), Path.of("/var/lib/webinfra/run/x"))
            .dir(Path.of("/var/lib/webinfra/data/shop/cache"), "shop")
            .logs(Path.of("/var/log/webinfra/shop/access.log"))
            .beforeStart(Step.of("migrate", "shop-migrate", "--all"))
            .reload(Reload.command(List.of("shopctl", "reload")))
            .stop(new Stop("INT", Duration.ofMillis(2500)))
            .after("mariadb", "nginx")
            .readiness(Readiness.none())
            .build();
    String unit = SystemdUnitRenderer.render(spec, HostPaths.server()).content();
    assertThat(unit)
        .contains("After=network-online.target webinfra-mariadb.service webinfra-nginx.service\n")
        .contains("User=shop\nGroup=shop\nWorkingDirectory=/srv/shop\n")
        .contains("Environment=\"QUOTE=say \\\"hi\\\"\"\n")
        .contains("Environment=\"PCT=50%%\"\n")
        .contains("ExecStartPre=+shop-migrate --all\n")
        .contains("ExecStart=/usr/bin/shop --greeting \"hello world\" --cost=$$5 100%%\n")
        .contains("ExecReload=+shopctl reload\n")
        .contains("KillSignal=SIGINT\nTimeoutStopSec=2500ms\n")
        // The run directory covers run/x; the data directory covers its cache.
        .contains(
            "ReadWritePaths=-/var/lib/webinfra/data/shop -/var/lib/webinfra/run"
                + " -/var/log/webinfra/shop\n")
        .contains("NoNewPrivileges=yes\nProtectSystem=strict\n")
        .contains("ProtectHome=yes\nPrivateTmp=yes\n")
        .doesNotContain("shop.out");
  }

  @Test
  void aDaemonThatDropsPrivilegeItselfStartsAsRootInTheRunDirectory() {
    DaemonSpec spec =
        DaemonSpec.builder("lb1", "haproxy", List.of("haproxy", "-W"), Path.of("/x/haproxy.log"))
            .reload(Reload.signal("USR2"))
            .build();
    String unit = SystemdUnitRenderer.render(spec, HostPaths.server()).content();
    assertThat(unit)
        .doesNotContain("User=")
        .contains("WorkingDirectory=/var/lib/webinfra/run\n")
        .contains("ExecReload=/bin/kill -USR2 $MAINPID\n")
        .contains("KillSignal=SIGTERM\nTimeoutStopSec=10s\n")
        .contains("Restart=always\n");
  }

  /**
   * systemd reads every unit without a warning: each setting is one it knows, with a value it
   * takes, and each program it starts is on this machine. Skips where systemd-analyze or one of the
   * daemons' packages is missing (./webinfra setup installs them).
   */
  @Test
  void systemdVerifiesEveryUnit(@TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    List<String> missing = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (Case c : all()) {
      if (c.topology().equals("flask")) {
        continue; // its program is gunicorn, checked below only if installed
      }
      DaemonSpec spec = c.spec();
      String program = spec.command().get(0);
      if (!onPath(program)) {
        missing.add(program);
      }
      Path f = dir.resolve(c.host().name()).resolve("webinfra-" + spec.name() + ".service");
      Files.createDirectories(f.getParent());
      Files.writeString(f, c.rendered().content());
      files.add(f.toString());
    }
    assumeTrue(missing.isEmpty(), "not installed here: " + missing + "; run ./webinfra setup");
    List<String> cmd = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
    cmd.addAll(files);
    // systemd-analyze stamps its load here, as a manager does; the test leaves no such stamp.
    Path stamp = Path.of("/run/systemd/systemd-units-load");
    boolean stamped = Files.exists(stamp);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (!stamped) {
      Files.deleteIfExists(stamp);
    }
    // Debian's own units are read too, with their own remarks: only ours count.
    List<String> ours =
        out.lines().filter(l -> l.contains("webinfra-") || l.contains(dir.toString())).toList();
    assertThat(ours).as("systemd-analyze verify on our units:%n%s", out).isEmpty();
    assertThat(p.exitValue()).as("systemd-analyze verify:%n%s", out).isZero();
  }

  private static boolean onPath(String program) {
    if (program.startsWith("/")) {
      return Files.isExecutable(Path.of(program));
    }
    for (String d : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin")) {
      if (new File(d, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
