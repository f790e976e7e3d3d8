package dev.webinfra.controller;

import dev.webinfra.database.ReplicaState;
import dev.webinfra.database.Sql;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.HostDriver;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recovery for a Galera cluster's replica: points it, by GTID ({@code slave_pos}), at a member in
 * the primary component. With {@code wsrep_gtid_mode} every member logs the cluster's transactions
 * under the same GTIDs, so any member's binary log can serve it from where it stopped.
 */
final class ReplicaMover {
  /** How long a new source may take before the next member is tried. */
  static final Duration CONNECT = Duration.ofSeconds(3);

  private final Topology t;
  private final HostDriver driver;
  private final Observer observer;
  private final RecoveryHistory history;
  private final EventLog events;
  private final Secrets secrets;
  private final Poll poll;
  private final Clock clock;
  private final Sql sql;

  ReplicaMover(
      Topology t,
      HostDriver driver,
      Observer observer,
      RecoveryHistory history,
      EventLog events,
      Secrets secrets,
      Poll poll) {
    this.t = t;
    this.driver = driver;
    this.observer = observer;
    this.history = history;
    this.events = events;
    this.secrets = secrets;
    this.poll = poll;
    this.clock = poll.clock();
    this.sql = new Sql(driver);
  }

  /** Moves the replica of {@code f} to a live member; every step goes to the event log. */
  void move(Finding f) {
    String replica = f.host();
    try {
      moveTo(f, replica);
    } finally {
      observer.forgetReplicas();
    }
  }

  private void moveTo(Finding f, String replica) {
    ReplicaState now = ReplicaState.read(driver, replica);
    String current = now.known() ? observer.memberAt(replica, now.sourceAddress()) : "";
    // Seen a moment ago; another look may find it already fixed (a source back in time).
    if (now.following() && serves(current)) {
      return;
    }
    history.restarted(f.target(), clock.instant());
    events.record(
        replica, f.code().name(), f.reason() + "; moving " + replica + " to a live member");
    List<String> order = new ArrayList<>();
    for (String m : t.database().members()) {
      if (!m.equals(current)) {
        order.add(m);
      }
    }
    // Its source last: it may be back, but it was the problem.
    if (t.database().members().contains(current)) {
      order.add(current);
    }
    List<String> tried = new ArrayList<>();
    for (String m : order) {
      if (!serves(m)) {
        tried.add(m + ": not in the primary component");
        continue;
      }
      ReplicaState after = follow(replica, m);
      if (after.following()) {
        events.record(
            replica,
            f.code().name(),
            replica
                + " follows "
                + m
                + " ("
                + after.describe()
                + ", applied "
                + after.applied()
                + ")");
        return;
      }
      tried.add(m + ": " + after.describe());
    }
    events.record(
        replica,
        f.code().name(),
        "no member could serve " + replica + " (" + String.join("; ", tried) + ")");
  }

  private boolean serves(String member) {
    return !member.isEmpty()
        && t.database().members().contains(member)
        && ClusterSql.clusterStatus(driver, member).filter(ClusterSeen.PRIMARY::equals).isPresent();
  }

  // CHANGE MASTER needs the threads stopped; slave_net_timeout (1 s) bounds how long STOP SLAVE
  // waits for an IO thread still connecting to a dead source.
  private ReplicaState follow(String replica, String member) {
    Host r = t.host(replica).orElseThrow();
    Host m = t.host(member).orElseThrow();
    String password = secrets.password("db-repl");
    sql.run(
        replica,
        "STOP SLAVE;\nCHANGE MASTER TO MASTER_HOST = "
            + Sql.quote(m.addressFor(r).toString())
            + ", MASTER_PORT = "
            + m.settings().db().port()
            + ", MASTER_USER = 'repl', MASTER_PASSWORD = "
            + Sql.quote(password)
            + ", MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1;\nSTART SLAVE;\n");
    Instant until = clock.instant().plus(CONNECT);
    ReplicaState s = ReplicaState.read(driver, replica);
    while (!s.following() && s.lastIoErrno() != 1236 && clock.instant().isBefore(until)) {
      poll.sleep(Duration.ofMillis(100));
      s = ReplicaState.read(driver, replica);
    }
    return s;
  }
}
