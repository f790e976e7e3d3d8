package dev.webinfra.failover;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.database.ReplicaState;
import dev.webinfra.database.Replication;
import dev.webinfra.database.Sql;
import dev.webinfra.host.HostDriver;
import dev.webinfra.plan.Units;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Turns a replica into the writable primary without losing an acknowledged write: the old primary,
 * if it answers, is fenced (read-only) and the candidate waits until it has every transaction the
 * old primary logged; if it does not answer, the candidate must hold at least what every other
 * replica received. Then the other servers follow the new primary and the apps write to it. The
 * caller decides whether anything else (the controller) must pause meanwhile.
 */
public final class Promotion {
  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final LabState state;
  private final Secrets secrets;
  private final Poll poll;
  private final Sql sql;
  private final Consumer<String> say;

  public Promotion(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      LabState state,
      Secrets secrets,
      Poll poll,
      Consumer<String> say) {
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.state = state;
    this.secrets = secrets;
    this.poll = poll;
    this.sql = new Sql(driver);
    this.say = say;
  }

  /**
   * Promotes {@code candidate}; refuses with the reason when that could lose acknowledged writes.
   */
  public void promote(String candidate) {
    promote(candidate, false, false);
  }

  /**
   * Promotes {@code candidate}; with {@code force}, a replica whose replication is broken too,
   * after saying what that may lose.
   */
  public void promote(String candidate, boolean force) {
    promote(candidate, false, force);
  }

  /**
   * Promotes {@code candidate} after the caller (the controller's failover) fenced the old primary:
   * it counts as lost, whether or not it still runs, so the candidate must be the replica that
   * received the most, and the old primary's unacknowledged tail is never waited for.
   */
  public void promoteFenced(String candidate) {
    promote(candidate, true, false);
  }

  private void promote(String candidate, boolean oldFenced, boolean force) {
    Database db = t.database();
    // A Galera replica is refused for what it is; one that cannot follow, for that first.
    if (db.kind() == Database.Kind.GALERA && db.replicas().contains(candidate)) {
      refuseStale(candidate, force);
    }
    Host cand = PromotionCheck.candidate(t, candidate);
    if (!running(cand)) {
      throw WebinfraException.unexpectedState(
          "db promote: host " + candidate + ": its MariaDB is not running; start it first");
    }
    String old = db.primary().orElseThrow();
    boolean oldAlive = !oldFenced && running(host(old)) && sql.value(old, "SELECT 1").isPresent();
    // With the old primary alive, a replica that cannot receive or apply from it would never catch
    // up; with it gone, every IO thread is broken and the most advanced replica is the rule.
    boolean forcedStale = oldAlive && refuseStale(candidate, force);
    if (forcedStale) {
      // Forced: it cannot catch up, so the old primary is only fenced; what it said is lost.
      say.accept("db promote: fencing the old primary " + old + " (read_only = ON)");
      sql.run(old, "SET GLOBAL read_only = ON;");
    } else if (oldAlive) {
      fenceAndCatchUp(old, candidate);
    } else {
      requireMostAdvanced(cand, db);
    }
    say.accept("db promote: making " + candidate + " the writable primary");
    sql.run(
        candidate,
        "STOP SLAVE;\nRESET SLAVE ALL;\nSET GLOBAL read_only = OFF;\n"
            + (db.semiSync() ? "SET GLOBAL rpl_semi_sync_master_enabled = ON;\n" : ""));
    state.setPrimary(candidate);
    Topology moved = t.withDatabase(db.withPrimary(candidate));
    // Re-render before repointing: each server's file then says what it is, and up restarts
    // nothing.
    for (Host h : moved.hostsWith(Role.DB)) {
      rewrite(moved, h, new MariadbUnit());
    }
    Replication replication = new Replication(driver, secrets, poll, say);
    List<String> followers = new ArrayList<>(db.replicas());
    followers.remove(candidate);
    if (oldAlive) {
      followers.add(old);
    }
    // The replicas follow while the apps' configs are rewritten: a semi-sync primary takes a
    // write only once a replica acknowledges it, so both are on the write-unavailability path.
    List<Future<?>> following = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String f : followers) {
        Host fh = moved.host(f).orElseThrow();
        if (running(fh)) {
          following.add(
              pool.submit(
                  () -> {
                    sql.run(f, "SET GLOBAL rpl_semi_sync_master_enabled = OFF;");
                    replication.follow(fh, moved.host(candidate).orElseThrow());
                  }));
        } else {
          say.accept(
              "db promote: host "
                  + f
                  + " is down; it will follow "
                  + candidate
                  + " when it starts");
        }
      }
      // The apps write to the primary their config names; they follow a rewritten config by
      // themselves within a fraction of a second.
      DaemonUnit app = Units.named("app").orElseThrow();
      for (Host h : moved.hostsWith(Role.APP)) {
        if (rewrite(moved, h, app)) {
          say.accept("db promote: " + h.name() + "/app now writes to " + candidate);
        }
      }
      for (Future<?> f : following) {
        awaitFollowing(f);
      }
    }
    say.accept(
        "db promote: "
            + candidate
            + " is the primary"
            + (oldAlive ? "; " + old + " follows it read-only" : ""));
  }

  // An operator's promotion of a replica that cannot receive or apply what its source still holds
  // would throw that away: refused, saying why, unless forced; forced, it says what may be lost.
  private boolean refuseStale(String candidate, boolean force) {
    Host cand = host(candidate);
    ReplicaState s =
        running(cand)
            ? ReplicaState.read(driver, candidate)
            : ReplicaState.unknown("its MariaDB is not running");
    String source =
        t.hostsWith(Role.DB).stream()
            .filter(h -> h.addressFor(cand).toString().equals(s.sourceAddress()))
            .map(Host::name)
            .findFirst()
            .orElse(s.sourceAddress());
    java.util.Optional<String> why = PromotionCheck.stale(candidate, s, source);
    if (why.isEmpty()) {
      return false;
    }
    if (!force) {
      throw WebinfraException.unexpectedState(why.get());
    }
    say.accept(
        "db promote: --force: "
            + why.get()
                .substring(why.get().indexOf("host "))
                .replace("; repair its replication first, or promote it anyway with --force", ""));
    return true;
  }

  private static void awaitFollowing(Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw WebinfraException.unexpectedState("db promote: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("db promote: interrupted", e);
    }
  }

  private void fenceAndCatchUp(String old, String candidate) {
    say.accept("db promote: fencing the old primary " + old + " (read_only = ON)");
    sql.run(old, "SET GLOBAL read_only = ON;");
    String pos = sql.value(old, "SELECT @@gtid_binlog_pos").orElse("");
    say.accept(
        "db promote: waiting for "
            + candidate
            + " to apply "
            + (pos.isEmpty() ? "(nothing)" : pos));
    String waited =
        sql.value(candidate, "SELECT MASTER_GTID_WAIT(" + Sql.quote(pos) + ", 10)").orElse("-1");
    if (!waited.equals("0")) {
      sql.run(old, "SET GLOBAL read_only = OFF;");
      throw WebinfraException.unexpectedState(
          "db promote: refused: host "
              + candidate
              + " did not reach the old primary's position "
              + pos
              + " within 10 s, so promoting it would lose acknowledged writes; "
              + old
              + " is writable again");
    }
  }

  private void requireMostAdvanced(Host cand, Database db) {
    Map<String, String> received = new LinkedHashMap<>();
    for (String r : db.replicas()) {
      if (running(host(r))) {
        received.put(r, sql.slaveStatus(r, "Gtid_IO_Pos").orElse(""));
      }
    }
    PromotionCheck.aheadOf(cand.name(), received)
        .ifPresent(
            r -> {
              throw WebinfraException.unexpectedState(
                  "db promote: refused: the primary is down and host "
                      + r
                      + " received more ("
                      + received.get(r)
                      + ") than "
                      + cand.name()
                      + " ("
                      + received.get(cand.name())
                      + "); promoting "
                      + cand.name()
                      + " would lose acknowledged writes; promote "
                      + r);
            });
    // Stopped first, then read: what it applies below is all it will ever have received.
    String io =
        sql.slaveStatusAfter(cand.name(), "STOP SLAVE IO_THREAD;").getOrDefault("Gtid_IO_Pos", "");
    String waited =
        sql.value(cand.name(), "SELECT MASTER_GTID_WAIT(" + Sql.quote(io) + ", 10)").orElse("-1");
    if (!waited.equals("0")) {
      throw WebinfraException.unexpectedState(
          "db promote: refused: host "
              + cand.name()
              + " could not apply what it received ("
              + io
              + ") within 10 s");
    }
  }

  /**
   * Writes a unit's files as {@code moved} renders them and keeps the running daemon's fingerprint
   * true to them, since it takes them without a restart; returns whether any file changed.
   */
  private boolean rewrite(Topology moved, Host h, DaemonUnit unit) {
    DaemonSpec spec = unit.spec(moved, h, driver.paths(h.name()));
    boolean changed = RenderedFile.writeChanged(driver, h.name(), spec.files());
    if (changed) {
      runner.recorded(spec).ifPresent(old -> runner.record(spec, old.withRendered(spec.files())));
    }
    return changed;
  }

  private boolean running(Host h) {
    return runner.isRunning(new MariadbUnit().spec(t, h, driver.paths(h.name())));
  }

  private Host host(String name) {
    return t.host(name).orElseThrow();
  }
}
