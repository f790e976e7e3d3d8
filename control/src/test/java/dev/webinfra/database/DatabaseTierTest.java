package dev.webinfra.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.host.lab.LabSupervisor;
import dev.webinfra.site.SiteContext;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order in which a Galera cluster's members are started: a member that joins a running cluster
 * is not waited for through its state transfer, a member that runs is, and start says who still
 * joins. The servers are fakes that record what was asked of them; SQL goes to a driver that
 * answers every statement and reports web3 already replicating from web1.
 */
class DatabaseTierTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  @TempDir Path dir;

  /** What the tier asked of each server, in order, and which members are ready. */
  static final class FakeServers implements DatabaseTier.Servers {
    final Set<String> ready = new HashSet<>();
    final Set<String> slowToJoin = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    @Override
    public synchronized void ensure(Host h, List<String> extraArgs) {
      asked.add("ensure " + h.name() + (extraArgs.isEmpty() ? "" : " " + extraArgs));
      ready.add(h.name());
    }

    @Override
    public synchronized boolean running(Host h) {
      return ready.contains(h.name());
    }

    @Override
    public synchronized void stop(Host h) {
      asked.add("stop " + h.name());
      ready.remove(h.name());
    }

    @Override
    public synchronized boolean ensureWithin(Host h, Duration within) {
      asked.add("ensure " + h.name() + " within " + within.toSeconds() + " s");
      if (slowToJoin.contains(h.name())) {
        return false;
      }
      ready.add(h.name());
      return true;
    }
  }

  private final List<String> said = new ArrayList<>();
  private final List<String> waits = new ArrayList<>();
  private final List<List<String>> aheadOf = new ArrayList<>();

  @Test
  void aMemberJoiningARunningClusterIsGivenJoinReadyAndNamedWhileItStillJoins() throws Exception {
    FakeServers servers = new FakeServers();
    servers.ready.addAll(List.of("web1", "web3"));
    servers.slowToJoin.add("web2");

    tier(servers).converge(Set.of(), "", (hosts, task) -> hosts.forEach(task));

    assertThat(servers.asked)
        .as("web1 runs and is kept; web2 is not waited for through its state transfer")
        .containsExactly("ensure web1", "ensure web2 within 2 s", "ensure web3");
    assertThat(waits)
        .containsExactly("mariadb on web2 joins the cluster from web1 (state transfer)");
    assertThat(said).contains("  mariadb on web2 joins the cluster from web1 (state transfer)");
    assertThat(aheadOf)
        .as("web2's other daemons start while it joins")
        .containsExactly(List.of("web2"));
  }

  @Test
  void aJoinerThatIsReadyWithinJoinReadyIsNotNamed() throws Exception {
    FakeServers servers = new FakeServers();
    servers.ready.addAll(List.of("web2", "web3"));

    tier(servers).converge(Set.of(), "", (hosts, task) -> hosts.forEach(task));

    assertThat(servers.asked)
        .containsExactly("ensure web2", "ensure web1 within 2 s", "ensure web3");
    assertThat(waits).isEmpty();
  }

  @Test
  void whenEveryMemberRunsEachIsEnsuredInTurnAndWaitedFor() throws Exception {
    FakeServers servers = new FakeServers();
    servers.ready.addAll(List.of("web1", "web2", "web3"));

    tier(servers).converge(Set.of(), "", (hosts, task) -> hosts.forEach(task));

    assertThat(servers.asked).containsExactly("ensure web1", "ensure web2", "ensure web3");
    assertThat(aheadOf).isEmpty();
    assertThat(waits).isEmpty();
  }

  @Test
  void aFirstStartBootstrapsOneMemberAndWaitsForTheOthers() throws Exception {
    FakeServers servers = new FakeServers();

    tier(servers).converge(Set.of(), "", (hosts, task) -> hosts.forEach(task));

    assertThat(servers.asked)
        .as("no data anywhere: a new cluster, every member waited for")
        .containsExactly(
            "stop web1",
            "stop web2",
            "ensure web1 [--wsrep-new-cluster]",
            "ensure web2",
            "ensure web3");
    assertThat(aheadOf).as("no accounts yet: nothing is launched ahead").isEmpty();
    assertThat(waits).isEmpty();
  }

  private DatabaseTier tier(FakeServers servers) throws Exception {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
    LabLayout layout = new LabLayout(t.lab(), dir, dir);
    Files.createDirectories(layout.secretsDir());
    HostDriver driver = driver(t);
    Poll poll = new Poll(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), d -> {});
    SiteContext site =
        new SiteContext(
            t,
            layout,
            driver,
            new LabSupervisor(driver, noProcesses(), poll, s -> {}),
            poll,
            said::add);
    return new DatabaseTier(site, servers, Optional.empty(), waits::add)
        .beforeMembersStart(hs -> aheadOf.add(hs.stream().map(Host::name).toList()));
  }

  // The tier starts no process itself: its servers (FakeServers) do.
  private static LabSupervisor.Processes noProcesses() {
    return (LabSupervisor.Processes)
        java.lang.reflect.Proxy.newProxyInstance(
            LabSupervisor.Processes.class.getClassLoader(),
            new Class<?>[] {LabSupervisor.Processes.class},
            (proxy, m, args) -> {
              throw new UnsupportedOperationException(m.getName());
            });
  }

  // Every command succeeds; web3 reports that it replicates from web1, both threads running. No
  // file exists (no member has held data: a first start).
  private HostDriver driver(Topology t) {
    String web1 = t.host("web1").orElseThrow().addressFor(t.host("web3").orElseThrow()).toString();
    return (HostDriver)
        Proxy.newProxyInstance(
            HostDriver.class.getClassLoader(),
            new Class<?>[] {HostDriver.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "paths" -> new HostPaths(dir.resolve("hosts").resolve((String) args[0]));
                  case "readFile", "readBaseSystemFile" -> Optional.empty();
                  case "exec" -> {
                    @SuppressWarnings("unchecked")
                    List<String> cmd = (List<String>) args[1];
                    String out =
                        String.join(" ", cmd).contains("SHOW SLAVE STATUS")
                            ? "Master_Host: "
                                + web1
                                + "\nSlave_IO_Running: Yes\nSlave_SQL_Running: Yes\n"
                            : "";
                    yield new ExecResult(cmd, 0, out, "");
                  }
                  case "isUp" -> true;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "fake driver";
                  default -> null;
                });
  }
}
