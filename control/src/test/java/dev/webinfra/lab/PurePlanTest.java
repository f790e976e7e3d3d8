package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.apply.Desired;
import dev.webinfra.apply.Planner;
import dev.webinfra.apply.Supplies;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Wire;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.host.lab.LabSupervisor;
import dev.webinfra.plan.Change;
import dev.webinfra.plan.Plan;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning reads and decides; applying writes. {@code up --dry-run} and the planning step of {@code
 * up} run here through a host driver that refuses every write and every process start, and leave
 * the lab's state on this machine as they found it; the supplied files are written only by the
 * apply step.
 */
class PurePlanTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void aDryRunWritesNothingAndPlansEveryDaemon() throws IOException {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    LabLayout layout = layout(t);
    RefusingDriver driver = new RefusingDriver(true);

    Plan plan = Lab.plan(t, layout, driver, runner(driver), wiring(t), CLOCK, jar());

    assertThat(plan.changes())
        .as("every daemon of a lab that never ran is new")
        .filteredOn(c -> c.kind() == Change.Kind.DAEMON)
        .isNotEmpty()
        .allMatch(c -> c.action() == Change.Action.CREATE);
    assertThat(plan.changes())
        .as("the wiring comes from what the lab has, and is made when missing")
        .filteredOn(c -> c.kind() == Change.Kind.NETWORK || c.kind() == Change.Kind.HOST)
        .hasSize(t.networks().size() + t.hosts().size())
        .allMatch(c -> c.action() == Change.Action.CREATE);
    assertThat(driver.reads).as("the plan did look at the hosts").isPositive();
    assertThat(filesUnder(layout.stateRoot()))
        .as("no secret, CA or certificate was made on this machine")
        .isEmpty();
  }

  @Test
  void upPlansWithoutWritingAndItsApplyStepInstallsTheSupplies() throws IOException {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    LabLayout layout = layout(t);
    RefusingDriver refusing = new RefusingDriver(false);
    Supplies planning = supplies(t, layout, refusing);

    Planner.Planned planned =
        new Planner(t, refusing, runner(refusing), planning, Lab.changes(wiring(t))).plan(Set.of());

    assertThat(planned.daemons())
        .as("a secret not made yet has no digest while planning")
        .anyMatch(d -> d.fingerprint().files().containsValue("new"));
    assertThat(filesUnder(layout.stateRoot())).as("planning made no secret").isEmpty();

    MemoryDriver hosts = new MemoryDriver();
    List<Desired> installed =
        supplies(t, layout, hosts).install(t.lab(), planned.daemons(), Set.of("client"));

    assertThat(installed)
        .as("each daemon is recorded with the digests of what was installed")
        .noneMatch(d -> d.fingerprint().files().containsValue("new"));
    assertThat(hosts.files.keySet())
        .as("the secrets, certificates and the build land on the hosts when applying")
        .anyMatch(k -> k.endsWith(".password"))
        .anyMatch(k -> k.endsWith(".crt"))
        .anyMatch(k -> k.endsWith(".jar"));
    assertThat(filesUnder(layout.stateRoot()))
        .as("the lab's secrets and CA are made when applying")
        .isNotEmpty();
  }

  @Test
  void planningAfterApplyingKeepsEveryDaemon() throws IOException {
    // With TLS to the servers, so the CA, the site's and each server's certificates are supplied.
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    LabLayout layout = layout(t);
    MemoryDriver hosts = new MemoryDriver();
    // Real time, bounded by each start's timeout: the memory hosts answer every probe at once.
    Supervisor runner =
        new LabSupervisor(hosts, hosts, new Poll(Clock.systemUTC(), d -> {}), l -> {});
    Planner.Planned first =
        new Planner(t, hosts, runner, supplies(t, layout, hosts), Lab.changes(wiring(t)))
            .plan(Set.of());

    for (Desired d : supplies(t, layout, hosts).install(t.lab(), first.daemons(), Set.of())) {
      runner.start(d.spec(), d.fingerprint(), Duration.ofSeconds(5));
    }
    Planner.Planned again =
        new Planner(t, hosts, runner, supplies(t, layout, hosts), Lab.changes(wiring(t)))
            .plan(Set.of());

    assertThat(again.plan().changes())
        .as("what was installed is what the next plan finds: nothing to restart")
        .filteredOn(c -> c.kind() == Change.Kind.DAEMON)
        .hasSize(first.daemons().size())
        .allSatisfy(c -> assertThat(c.action()).as(c.describe()).isEqualTo(Change.Action.KEEP));
  }

  @Test
  void aRulesetAsRenderedIsKeptOneThatDiffersReloadedAndOneNotLoadedCreated() throws IOException {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    MemoryDriver hosts = new MemoryDriver();
    Supervisor runner =
        new LabSupervisor(hosts, hosts, new Poll(Clock.systemUTC(), d -> {}), l -> {});
    Planner planner =
        new Planner(t, hosts, runner, supplies(t, layout(t), hosts), Lab.changes(wiring(t)));

    assertThat(firewalls(planner.plan(Set.of())))
        .as("no ruleset on any host yet")
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.describe()).contains("ruleset not loaded"));
    List<String> walled = firewalls(planner.plan(Set.of())).stream().map(Change::host).toList();
    for (String h : walled) {
      var rules = planner.ruleset(t.host(h).orElseThrow());
      hosts.writeFile(h, rules.path(), rules.content(), rules.mode(), null);
    }
    assertThat(firewalls(planner.plan(Set.of())))
        .as("each host's ruleset as rendered, loaded")
        .allSatisfy(c -> assertThat(c.action()).as(c.describe()).isEqualTo(Change.Action.KEEP));
    var lb1 = planner.ruleset(t.host("lb1").orElseThrow());
    hosts.writeFile("lb1", lb1.path(), lb1.content() + "# edited\n", lb1.mode(), null);
    assertThat(firewalls(planner.plan(Set.of())))
        .filteredOn(c -> c.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.host()).isEqualTo("lb1");
              assertThat(c.action()).isEqualTo(Change.Action.RELOAD);
              assertThat(c.describe()).contains("nftables.conf changed");
            });
  }

  private static List<Change> firewalls(Planner.Planned p) {
    return p.plan().changes().stream().filter(c -> c.kind() == Change.Kind.FIREWALL).toList();
  }

  private LabLayout layout(Topology t) {
    return new LabLayout(t.lab(), dir.resolve("state"), dir.resolve("run"));
  }

  private static Supervisor runner(RefusingDriver driver) {
    return new LabSupervisor(driver, driver, new Poll(CLOCK, d -> {}), line -> {});
  }

  // A lab that has none of its wiring yet.
  private static java.util.function.Supplier<List<Wire>> wiring(Topology t) {
    return () -> {
      List<Wire> out = new ArrayList<>();
      t.networks().forEach(n -> out.add(new Wire(Wire.Kind.NETWORK, n.name(), false, "no bridge")));
      t.hosts().forEach(h -> out.add(new Wire(Wire.Kind.HOST, h.name(), false, "no namespace")));
      return out;
    };
  }

  private Supplies supplies(Topology t, LabLayout layout, HostDriver driver) throws IOException {
    return new Supplies(
        driver,
        new Secrets(layout.secretsDir()),
        new dev.webinfra.tls.HostCertificates(t, layout.caDir(), CLOCK),
        jar());
  }

  private Path jar() throws IOException {
    Path jar = dir.resolve("webinfra-app.jar");
    if (!Files.exists(jar)) {
      try (OutputStream out = Files.newOutputStream(jar);
          ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry("static/index.html"));
        zip.write("<p>hello</p>\n".getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /**
   * Hosts that answer every read with "nothing there" and fail the test on any write or process
   * start. The one command the plan runs, {@link Planner#firewallQuery} (is the ruleset loaded, and
   * what is it?), only reads; it answers that no ruleset is loaded.
   */
  static final class RefusingDriver implements HostDriver, LabSupervisor.Processes {
    private final boolean up;
    int reads;

    RefusingDriver(boolean up) {
      this.up = up;
    }

    private static AssertionError refused(String what, String host) {
      return new AssertionError("planning must not " + what + " on host " + host);
    }

    @Override
    public HostPaths paths(String host) {
      return new HostPaths(Path.of("/srv/webinfra", host));
    }

    @Override
    public boolean isUp(String host) {
      reads++;
      return up;
    }

    @Override
    public ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout) {
      if (cmd.equals(Planner.firewallQuery(paths(host).etc().resolve("nftables.conf")))) {
        reads++;
        return new ExecResult(cmd, 3, "", "");
      }
      throw refused("run " + String.join(" ", cmd), host);
    }

    @Override
    public int execInteractive(String host, List<String> cmd) {
      throw refused("run " + String.join(" ", cmd), host);
    }

    @Override
    public Process open(String host, List<String> cmd) {
      throw refused("start " + String.join(" ", cmd), host);
    }

    @Override
    public void writeFile(String host, Path path, String content, String mode, String owner) {
      throw refused("write " + path, host);
    }

    @Override
    public boolean writeSystemFile(String host, String etcPath, String content) {
      throw refused("write /etc/" + etcPath, host);
    }

    @Override
    public Optional<String> readBaseSystemFile(String host, String etcPath) {
      reads++;
      return Optional.empty();
    }

    @Override
    public boolean copyFile(String host, Path from, Path to, String mode, String owner) {
      throw refused("copy " + from + " to " + to, host);
    }

    @Override
    public Optional<String> readFile(String host, Path path) {
      reads++;
      return Optional.empty();
    }

    @Override
    public void mkdirs(String host, Path dir, String owner) {
      throw refused("make " + dir, host);
    }

    @Override
    public void link(String host, Path link, String target) {
      throw refused("link " + link, host);
    }

    @Override
    public Optional<String> readLink(String host, Path link) {
      reads++;
      return Optional.empty();
    }

    @Override
    public int cutPower(String host, List<String> links, Runnable whileFrozen) {
      throw refused("cut power", host);
    }

    @Override
    public long spawn(String host, List<String> cmd, Path log) {
      throw refused("spawn " + String.join(" ", cmd), host);
    }

    @Override
    public boolean isAlive(String host, long pid) {
      reads++;
      return false;
    }

    @Override
    public void signal(String host, long pid, String signal) {
      throw refused("signal " + pid, host);
    }

    @Override
    public Set<String> addresses(String host) {
      reads++;
      return Set.of();
    }

    @Override
    public boolean removeAddress(String host, String cidr, String link) {
      throw refused("remove address " + cidr, host);
    }
  }

  /** Hosts whose files and daemons live in memory, for the apply step. */
  static final class MemoryDriver implements HostDriver, LabSupervisor.Processes {
    final Map<String, String> files = new HashMap<>();
    private long nextPid = 1000;

    @Override
    public HostPaths paths(String host) {
      return new HostPaths(Path.of("/srv/webinfra", host));
    }

    @Override
    public boolean isUp(String host) {
      return true;
    }

    @Override
    public ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout) {
      Path rules = paths(host).etc().resolve("nftables.conf");
      if (cmd.equals(Planner.firewallQuery(rules))) {
        // Loaded once written: the apply step writes it, then runs nft -f.
        String text = files.get(host + ":" + rules);
        return text == null ? new ExecResult(cmd, 3, "", "") : new ExecResult(cmd, 0, text, "");
      }
      // Every step before a start and every readiness probe succeeds.
      return new ExecResult(cmd, 0, "", "");
    }

    @Override
    public int execInteractive(String host, List<String> cmd) {
      throw new UnsupportedOperationException("execInteractive");
    }

    @Override
    public Process open(String host, List<String> cmd) {
      throw new UnsupportedOperationException("open");
    }

    @Override
    public void writeFile(String host, Path path, String content, String mode, String owner) {
      files.put(host + ":" + path, content);
    }

    @Override
    public boolean writeSystemFile(String host, String etcPath, String content) {
      return files.put(host + ":/etc/" + etcPath, content) == null;
    }

    @Override
    public Optional<String> readBaseSystemFile(String host, String etcPath) {
      return Optional.empty();
    }

    @Override
    public boolean copyFile(String host, Path from, Path to, String mode, String owner) {
      files.put(host + ":" + to, "copy of " + from);
      return true;
    }

    @Override
    public Optional<String> readFile(String host, Path path) {
      return Optional.ofNullable(files.get(host + ":" + path));
    }

    @Override
    public void mkdirs(String host, Path dir, String owner) {}

    @Override
    public void link(String host, Path link, String target) {
      files.put(host + ":" + link, "link to " + target);
    }

    @Override
    public Optional<String> readLink(String host, Path link) {
      return Optional.ofNullable(files.get(host + ":" + link));
    }

    @Override
    public int cutPower(String host, List<String> links, Runnable whileFrozen) {
      throw new UnsupportedOperationException("cut power");
    }

    @Override
    public long spawn(String host, List<String> cmd, Path log) {
      return nextPid++;
    }

    @Override
    public boolean isAlive(String host, long pid) {
      return pid >= 1000 && pid < nextPid;
    }

    @Override
    public void signal(String host, long pid, String signal) {
      throw new UnsupportedOperationException("signal");
    }

    @Override
    public Set<String> addresses(String host) {
      return Set.of();
    }

    @Override
    public boolean removeAddress(String host, String cidr, String link) {
      throw new UnsupportedOperationException("removeAddress");
    }
  }
}
