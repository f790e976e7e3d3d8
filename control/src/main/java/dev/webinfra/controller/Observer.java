package dev.webinfra.controller;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.database.ReplicaState;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.plan.Units;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.site.LabState;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a lab through its host driver and writes down what it sees. Cheap checks (files, process
 * handles) run every tick; the costly ones (a host's links, who holds the floating IP) only when a
 * daemon is found dead; the replicas' view of the primary only when the primary looks dead.
 */
final class Observer {
  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final LabState state;
  private final Clock clock;
  private final List<Host> hosts;
  private final boolean apart;
  // Specs are rendered once: the topology a controller watches does not change while it runs.
  private final java.util.Map<String, List<DaemonSpec>> specs = new java.util.LinkedHashMap<>();

  Observer(Topology t, HostDriver driver, Supervisor runner, LabState state, Clock clock) {
    this(t, driver, runner, state, clock, false);
  }

  /**
   * An observer of hosts that are {@code apart} (servers reached over a network, which may not
   * answer): they are asked at once, and one that fails to answer is seen as unreachable.
   */
  Observer(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      LabState state,
      Clock clock,
      boolean apart) {
    this.apart = apart;
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.state = state;
    this.clock = clock;
    this.hosts = t.hosts();
    for (Host h : hosts) {
      specs.put(
          h.name(),
          Units.on(t, h).stream().map(u -> u.spec(t, h, driver.paths(h.name()))).toList());
    }
  }

  /** The spec of a daemon, as the lab runs it. */
  DaemonSpec spec(String host, String daemon) {
    return specs.get(host).stream().filter(d -> d.name().equals(daemon)).findFirst().orElseThrow();
  }

  Observation observe() {
    List<Observation.HostSeen> out = new ArrayList<>();
    java.util.Map<String, Boolean> dbAlive = new java.util.concurrent.ConcurrentHashMap<>();
    if (!apart) {
      for (Host h : hosts) {
        out.add(host(h, dbAlive));
      }
    } else {
      // Servers: each asked at once, over SSH; one that does not answer is one host down, not a
      // tick lost.
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        List<java.util.concurrent.Future<Observation.HostSeen>> seen = new ArrayList<>();
        for (Host h : hosts) {
          seen.add(pool.submit(() -> host(h, dbAlive)));
        }
        for (int i = 0; i < hosts.size(); i++) {
          try {
            out.add(seen.get(i).get());
          } catch (java.util.concurrent.ExecutionException e) {
            out.add(unreachable(hosts.get(i), dbAlive));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted observing the site", e);
          }
        }
      }
    }
    return new Observation(clock.instant(), out, database(dbAlive), cluster(dbAlive));
  }

  private Observation.HostSeen host(Host h, java.util.Map<String, Boolean> dbAlive) {
    boolean stopped = state.isStopped(h.name());
    List<Observation.DaemonSeen> daemons = new ArrayList<>();
    boolean anyDead = false;
    if (!stopped) {
      List<DaemonSpec> ds = specs.get(h.name());
      List<Supervisor.Seen> seen = runner.seen(ds);
      for (int i = 0; i < ds.size(); i++) {
        DaemonSpec spec = ds.get(i);
        boolean started = seen.get(i).started();
        boolean alive = seen.get(i).running();
        boolean holdsVip =
            started
                && !alive
                && spec.name().equals(KeepalivedUnit.NAME)
                && t.vip()
                    .map(v -> driver.addresses(h.name()).contains(v.address().toString()))
                    .orElse(false);
        anyDead |= started && !alive;
        if (spec.name().equals(MariadbUnit.NAME)) {
          dbAlive.put(h.name(), alive);
        }
        daemons.add(new Observation.DaemonSeen(spec.name(), started, alive, holdsVip));
      }
    }
    boolean linksUp = !anyDead || driver.isUp(h.name());
    if (!linksUp) {
      dbAlive.put(h.name(), false);
    }
    return new Observation.HostSeen(h.name(), stopped, linksUp, daemons);
  }

  // A server that did not answer: its daemons are taken for dead, and it for unreachable.
  private Observation.HostSeen unreachable(Host h, java.util.Map<String, Boolean> dbAlive) {
    boolean stopped = state.isStopped(h.name());
    List<Observation.DaemonSeen> daemons =
        stopped
            ? List.of()
            : specs.get(h.name()).stream()
                .map(d -> new Observation.DaemonSeen(d.name(), true, false, false))
                .toList();
    dbAlive.put(h.name(), false);
    return new Observation.HostSeen(h.name(), stopped, false, daemons);
  }

  /**
   * How often the replicas and members of a Galera cluster are asked (an exec each, about 45 ms of
   * CPU: at 0.5 s these asks were a quarter of a core, the most an idle lab spent on anything). A
   * dead member is seen sooner, by its process, every tick.
   */
  static final Duration CLUSTER_EVERY = Duration.ofSeconds(1);

  private volatile java.time.Instant clusterAskedAt = java.time.Instant.MIN;
  private final java.util.Map<String, ReplicaState> replicaStates =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, String> wsrepStatus =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, java.time.Instant> notFollowingSince =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Makes the next observation ask the replicas again: recovery just changed one. */
  void forgetReplicas() {
    clusterAskedAt = java.time.Instant.MIN;
  }

  // A Galera cluster's replicas are asked what they follow every CLUSTER_EVERY; a member's
  // liveness comes from this tick's look at its process, so a stopped source is seen at once.
  private ClusterSeen cluster(java.util.Map<String, Boolean> alive) {
    Database db = t.database();
    if (db.kind() != Database.Kind.GALERA || db.replicas().isEmpty()) {
      return null;
    }
    java.time.Instant now = clock.instant();
    if (!now.isBefore(clusterAskedAt.plus(CLUSTER_EVERY))) {
      clusterAskedAt = now;
      for (String m : db.members()) {
        if (alive.getOrDefault(m, false)) {
          wsrepStatus.put(m, ClusterSql.clusterStatus(driver, m).orElse("not answering"));
        }
      }
      for (String r : db.replicas()) {
        replicaStates.put(
            r,
            alive.getOrDefault(r, false)
                ? ReplicaState.read(driver, r)
                : ReplicaState.unknown("server down"));
      }
    }
    java.util.Map<String, String> states = new java.util.HashMap<>();
    for (String m : db.members()) {
      states.put(
          m,
          state.isStopped(m)
              ? "stopped"
              : !alive.getOrDefault(m, false)
                  ? "server down"
                  : wsrepStatus.getOrDefault(m, "not asked yet"));
    }
    List<ClusterSeen.FollowerSeen> followers = new ArrayList<>();
    for (String r : db.replicas()) {
      ReplicaState rs = replicaStates.getOrDefault(r, ReplicaState.unknown("not asked yet"));
      boolean clean = rs.known() && "Yes".equals(rs.io()) && rs.lastIoErrno() == 0;
      java.time.Instant since = clean ? null : notFollowingSince.computeIfAbsent(r, k -> now);
      if (clean) {
        notFollowingSince.remove(r);
      }
      followers.add(
          new ClusterSeen.FollowerSeen(
              r,
              rs.known(),
              rs.known() ? memberAt(r, rs.sourceAddress()) : "",
              rs.io(),
              rs.sql(),
              rs.lastIoErrno(),
              rs.lastSqlError(),
              since));
    }
    return new ClusterSeen(db.members(), states, followers);
  }

  /** The member whose address {@code replica} replicates from, or the address itself. */
  String memberAt(String replica, String address) {
    if (address.isEmpty()) {
      return "";
    }
    Host r = t.host(replica).orElseThrow();
    return t.hostsWith(Role.DB).stream()
        .filter(h -> h.addressFor(r).toString().equals(address))
        .map(Host::name)
        .findFirst()
        .orElse(address);
  }

  // Only a primary-replica set under automatic failover is watched; the replicas are asked (a
  // costly exec each) only once the primary looks dead.
  private Observation.DatabaseSeen database(java.util.Map<String, Boolean> alive) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA
        || db.failover() != Database.Failover.AUTOMATIC) {
      return null;
    }
    String p = db.primary().orElseThrow();
    boolean reachable = alive.getOrDefault(p, false);
    List<Observation.ReplicaSeen> replicas = new ArrayList<>();
    if (!reachable) {
      for (String r : db.replicas()) {
        replicas.add(alive.getOrDefault(r, false) ? replicaView(r, p) : unanswered(r));
      }
    }
    List<String> fencedBack =
        t.hostsWith(Role.DB).stream()
            .map(Host::name)
            .filter(n -> !n.equals(p) && alive.getOrDefault(n, false) && state.isFenced(n))
            .toList();
    return new Observation.DatabaseSeen(p, reachable, replicas, fencedBack);
  }

  private static Observation.ReplicaSeen unanswered(String r) {
    return new Observation.ReplicaSeen(r, false, false, "", 0, "", "");
  }

  private Observation.ReplicaSeen replicaView(String r, String primary) {
    ExecResult res =
        driver.exec(
            r,
            List.of(
                "mariadb",
                "--defaults-file=" + MariadbUnit.myCnf(driver.paths(r)),
                "--connect-timeout=1",
                "-e",
                "SHOW SLAVE STATUS\\G SELECT @@gtid_slave_pos AS Gtid_Slave_Pos\\G"),
            null,
            Duration.ofSeconds(3));
    if (!res.ok()) {
      return unanswered(r);
    }
    java.util.Map<String, String> f = new java.util.HashMap<>();
    res.stdout()
        .lines()
        .map(String::strip)
        .filter(l -> l.indexOf(':') > 0)
        .forEach(
            l ->
                f.putIfAbsent(
                    l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
    int errno;
    try {
      errno = Integer.parseInt(f.getOrDefault("Last_IO_Errno", "0"));
    } catch (NumberFormatException e) {
      errno = -1;
    }
    String primaryAddress =
        t.host(primary).orElseThrow().addressFor(t.host(r).orElseThrow()).toString();
    return new Observation.ReplicaSeen(
        r,
        true,
        primaryAddress.equals(f.get("Master_Host")),
        f.getOrDefault("Slave_IO_Running", "No"),
        errno,
        f.getOrDefault("Gtid_IO_Pos", ""),
        f.getOrDefault("Gtid_Slave_Pos", ""));
  }
}
