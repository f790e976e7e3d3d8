package dev.webinfra.status;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.database.ReplicaState;
import dev.webinfra.database.Sql;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.plan.Units;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.site.LabState;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a lab's state through its host driver: hosts, daemons, the floating IP, the database. */
public final class LabStatusReader {
  private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
  // "mariadb on web2 joins ...", "app on web2 waits for its database (...)": the daemon and host.
  private static final Pattern WAIT = Pattern.compile("(\\S+) on (\\S+) ");
  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final String siteUrl;
  private final Optional<LabState.Failover> lastFailover;
  private final Optional<String> dashboard;
  private List<String> waiting = List.of();

  private List<LabStatus.Incident> incidents;

  /** The incidents the event log tells of; null (the default) when the lab has no monitoring. */
  public LabStatusReader incidents(List<LabStatus.Incident> incidents) {
    this.incidents = incidents;
    return this;
  }

  /** What the last start or up left waiting, shown with the database. */
  public LabStatusReader waiting(List<String> lines) {
    this.waiting = List.copyOf(lines);
    return this;
  }

  public LabStatusReader(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      String siteUrl,
      Optional<LabState.Failover> lastFailover,
      Optional<String> dashboard) {
    this.dashboard = dashboard;
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.siteUrl = siteUrl;
    this.lastFailover = lastFailover;
  }

  /**
   * Reads every host at once, and asks Prometheus meanwhile: a read probes every daemon, and one
   * host after another took seconds on a loaded machine.
   */
  public LabStatus read() {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Optional<List<LabStatus.Alert>>> alerts =
          pool.submit(() -> new PrometheusApi(t, driver).firingAlerts());
      List<Future<HostStatus>> reads =
          t.hosts().stream().map(h -> pool.submit(() -> hostStatus(h))).toList();
      List<HostStatus> hosts = reads.stream().map(LabStatusReader::join).toList();
      Set<String> upHosts = new HashSet<>();
      hosts.stream().filter(HostStatus::up).forEach(h -> upHosts.add(h.name()));
      Future<List<String>> vip = pool.submit(() -> vipHolders(upHosts));
      Future<LabStatus.DatabaseStatus> database =
          pool.submit(() -> databaseStatus(upHosts, stillWaiting(waiting, hosts)));
      return new LabStatus(
          t.lab(),
          new LabStatus.Site(t.siteFqdns(), t.siteAddress().toString(), siteUrl),
          hosts,
          t.vip().map(v -> new LabStatus.VipStatus(v.address().toString(), join(vip))).orElse(null),
          join(database),
          join(alerts).orElse(null),
          dashboard.map(LabStatus.Dashboard::new).orElse(null),
          incidents);
    }
  }

  /**
   * The lines of what the last start left waiting whose daemon is not running yet ("mariadb on web2
   * joins the cluster from web1" until web2's member answers): start no longer blocks until they
   * are, so status must not keep saying it after.
   */
  public static List<String> stillWaiting(List<String> lines, List<HostStatus> hosts) {
    return lines.stream()
        .filter(
            l -> {
              Matcher m = WAIT.matcher(l);
              return !m.lookingAt()
                  || hosts.stream()
                      .filter(h -> h.name().equals(m.group(2)))
                      .flatMap(h -> h.components().stream())
                      .noneMatch(c -> c.name().equals(m.group(1)) && c.state().equals("running"));
            })
        .toList();
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("reading the lab's status: interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw WebinfraException.unexpectedState("reading the lab's status: " + e.getCause(), e);
    }
  }

  private HostStatus hostStatus(Host h) {
    boolean up = driver.isUp(h.name());
    List<ComponentStatus> comps = new ArrayList<>();
    List<DaemonUnit> units = Units.on(t, h);
    List<DaemonSpec> specs = units.stream().map(u -> u.spec(t, h, driver.paths(h.name()))).toList();
    // One question for the host's daemons: on servers each is an SSH round trip.
    List<java.util.Optional<String>> instances = up ? runner.instances(specs) : List.of();
    for (int i = 0; i < units.size(); i++) {
      DaemonUnit u = units.get(i);
      DaemonSpec d = specs.get(i);
      String instance = up ? instances.get(i).orElse(null) : null;
      String state = instance == null ? "stopped" : runner.probe(d).ok() ? "running" : "degraded";
      String version =
          u.name().equals("app") && instance != null ? appVersion(h).orElse("unknown") : null;
      comps.add(new ComponentStatus(u.name(), state, instance, version));
    }
    Map<String, String> addresses = new LinkedHashMap<>();
    for (Attachment a : h.attachments()) {
      addresses.put(a.network(), a.address().toString());
    }
    HostStatus.Firewall fw =
        h.settings().firewall().enabled()
            ? new HostStatus.Firewall(true, up ? droppedPackets(h) : null)
            : new HostStatus.Firewall(false, null);
    return new HostStatus(
        h.name(), h.roles().stream().map(Role::yamlName).toList(), addresses, up, comps, fw);
  }

  /** The load balancers that hold the floating IP right now (one, in a healthy lab). */
  public List<String> vipHolders(Set<String> upHosts) {
    String vip = t.vip().map(v -> v.address().toString()).orElse(null);
    if (vip == null) {
      return List.of();
    }
    return t.hostsWith(Role.LB).stream()
        .filter(lb -> upHosts.contains(lb.name()))
        .filter(lb -> driver.addresses(lb.name()).contains(vip))
        .map(Host::name)
        .toList();
  }

  private Long droppedPackets(Host h) {
    ExecResult r =
        driver.exec(
            h.name(),
            List.of("nft", "list", "counter", "inet", "webinfra", "dropped"),
            null,
            Duration.ofSeconds(10));
    Matcher m = PACKETS.matcher(r.stdout());
    return r.ok() && m.find() ? Long.parseLong(m.group(1)) : null;
  }

  private LabStatus.DatabaseStatus databaseStatus(Set<String> upHosts, List<String> waiting) {
    if (t.database().kind() == Database.Kind.NONE) {
      return null;
    }
    Sql sql = new Sql(driver);
    List<String> primaries = new ArrayList<>();
    List<LabStatus.ReplicaStatus> replicas = new ArrayList<>();
    MariadbUnit unit = new MariadbUnit();
    for (Host h : t.hostsWith(Role.DB)) {
      boolean declaredReplica = t.database().replicas().contains(h.name());
      if (!upHosts.contains(h.name())) {
        if (declaredReplica) {
          replicas.add(
              LabStatus.ReplicaStatus.of(h.name(), ReplicaState.unknown("its host is down"), ""));
        }
        continue;
      }
      if (!runner.isRunning(unit.spec(t, h, driver.paths(h.name())))) {
        if (declaredReplica) {
          replicas.add(
              LabStatus.ReplicaStatus.of(
                  h.name(), ReplicaState.unknown("its MariaDB is not running"), ""));
        }
        continue;
      }
      // Read from the server itself: what it follows, not what the topology file meant.
      ReplicaState r = ReplicaState.read(driver, h.name());
      boolean writable =
          r.known()
              && r.sourceAddress().isEmpty()
              && sql.value(h.name(), "SELECT @@read_only").filter("0"::equals).isPresent();
      if (writable) {
        primaries.add(h.name());
      } else if (declaredReplica || (r.known() && !r.sourceAddress().isEmpty())) {
        replicas.add(LabStatus.ReplicaStatus.of(h.name(), r, sourceName(h, r.sourceAddress())));
      }
    }
    return new LabStatus.DatabaseStatus(
        t.database().kind().yamlName(),
        primaries,
        replicas,
        lastFailover
            .map(
                f ->
                    new LabStatus.LastFailover(
                        f.from(), f.to(), f.at().toString(), f.took().toMillis()))
            .orElse(null),
        waiting);
  }

  // The server whose address a replica names, or the address when no server has it.
  private String sourceName(Host replica, String address) {
    return t.hostsWith(Role.DB).stream()
        .filter(h -> h.addressFor(replica).toString().equals(address))
        .map(Host::name)
        .findFirst()
        .orElse(address);
  }

  // Asked of the app itself, not through the LBs: the version that runs on this very server.
  private java.util.Optional<String> appVersion(Host h) {
    var r =
        driver.exec(
            h.name(),
            List.of(
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "--max-time",
                "1",
                "http://127.0.0.1:" + h.settings().app().port() + h.settings().app().health()),
            null,
            java.time.Duration.ofSeconds(5));
    return r.stdout()
        .lines()
        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-app-version:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst();
  }
}
