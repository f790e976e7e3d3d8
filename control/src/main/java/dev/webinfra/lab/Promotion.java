package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.plan.Component;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns a replica into the writable primary without losing an acknowledged write: the old primary,
 * if it answers, is fenced (read-only) and the candidate waits until it has every transaction the
 * old primary logged; if it does not answer, the candidate must hold at least what every other
 * replica received. Then the other servers follow the new primary and the apps write to it.
 */
public final class Promotion {
  private final Lab lab;
  private final Topology t;
  private final LabLayout layout;
  private final Sql sql;
  private final Consumer<String> say;

  public Promotion(Lab lab, LabLayout layout, Consumer<String> say) {
    this.lab = lab;
    this.t = lab.topology();
    this.layout = layout;
    this.sql = new Sql(lab.driver(), layout);
    this.say = say;
  }

  /**
   * Promotes {@code candidate}; refuses with the reason when that could lose acknowledged writes.
   */
  public void promote(String candidate) {
    // The controller would see the apps restart as deaths and race us: pause it meanwhile.
    dev.webinfra.controller.ControllerProcess.paused(
        layout,
        () -> {
          doPromote(candidate);
          return null;
        });
  }

  private void doPromote(String candidate) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA) {
      throw WebinfraException.invalidInput(
          "db promote: lab "
              + t.lab()
              + " has database topology "
              + db.kind().yamlName()
              + "; promotion moves the primary of a primary-replica set"
              + (db.kind() == Database.Kind.GALERA
                  ? " (every Galera member is already writable)"
                  : ""));
    }
    Host cand =
        t.host(candidate)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "db promote: host " + candidate + " is not in lab " + t.lab()));
    String old = db.primary().orElseThrow();
    if (old.equals(candidate)) {
      throw WebinfraException.invalidInput(
          "db promote: host " + candidate + " is already the primary");
    }
    if (!db.replicas().contains(candidate)) {
      throw WebinfraException.invalidInput(
          "db promote: host "
              + candidate
              + " is not a replica; replicas: "
              + String.join(", ", db.replicas()));
    }
    if (!running(cand)) {
      throw WebinfraException.unexpectedState(
          "db promote: host " + candidate + ": its MariaDB is not running; start it first");
    }
    if (!cand.settings().db().binlog()) {
      throw WebinfraException.invalidInput(
          "db promote: host " + candidate + " has db.binlog false, so no replica could follow it");
    }
    Host oldHost = t.host(old).orElseThrow();
    boolean oldAlive = running(oldHost) && sql.value(old, "SELECT 1").isPresent();
    if (oldAlive) {
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
    } else {
      requireMostAdvanced(cand, db);
    }
    say.accept("db promote: making " + candidate + " the writable primary");
    sql.run(
        candidate,
        "STOP SLAVE;\nRESET SLAVE ALL;\nSET GLOBAL read_only = OFF;\n"
            + (db.semiSync() ? "SET GLOBAL rpl_semi_sync_master_enabled = ON;\n" : ""));
    new LabState(layout).setPrimary(candidate);
    // Re-render before repointing: each server's file then says what it is, and a later up restarts
    // nothing.
    Topology moved = t.withDatabase(db.withPrimary(candidate));
    Lab relab =
        new Lab(
            moved,
            layout,
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            java.time.Clock.systemUTC());
    for (Host h : moved.hostsWith(Role.DB)) {
      relab.write(h, relab.render(h, Component.MARIADB));
    }
    DatabaseTier tier =
        new DatabaseTier(
            moved,
            relab.driver(),
            relab.runner(),
            new Secrets(layout.secretsDir()),
            java.time.Clock.systemUTC(),
            say);
    List<String> followers = new ArrayList<>(db.replicas());
    followers.remove(candidate);
    if (oldAlive) {
      followers.add(old);
    }
    for (String f : followers) {
      Host fh = moved.host(f).orElseThrow();
      if (running(fh)) {
        sql.run(f, "SET GLOBAL rpl_semi_sync_master_enabled = OFF;");
        tier.ensureReplicating(fh, moved.host(candidate).orElseThrow());
      } else {
        say.accept(
            "db promote: host " + f + " is down; it will follow " + candidate + " when it starts");
      }
    }
    // The apps write to the primary their config names; they follow a rewritten config within a
    // second.
    for (Host app : moved.hostsWith(Role.APP)) {
      if (relab.write(app, relab.render(app, Component.APP))) {
        say.accept("db promote: " + app.name() + "/app now writes to " + candidate);
      }
    }
    say.accept(
        "db promote: "
            + candidate
            + " is the primary"
            + (oldAlive ? "; " + old + " follows it read-only" : ""));
  }

  private boolean running(Host h) {
    Daemon d = Daemons.of(t, h, Component.MARIADB, layout);
    return lab.runner().runningPid(d) != null;
  }

  // Without the old primary, semi-sync guarantees an acknowledged write reached some replica:
  // promote only the one that has most.
  private void requireMostAdvanced(Host cand, Database db) {
    long mine = seq(sql.slaveStatus(cand.name(), "Gtid_IO_Pos"));
    for (String r : db.replicas()) {
      if (r.equals(cand.name()) || !running(t.host(r).orElseThrow())) {
        continue;
      }
      long theirs = seq(sql.slaveStatus(r, "Gtid_IO_Pos"));
      if (theirs > mine) {
        throw WebinfraException.unexpectedState(
            "db promote: refused: the primary is down and host "
                + r
                + " received more (GTID seq "
                + theirs
                + ") than "
                + cand.name()
                + " ("
                + mine
                + "); promoting "
                + cand.name()
                + " would lose acknowledged writes; promote "
                + r);
      }
    }
    String io = sql.slaveStatus(cand.name(), "Gtid_IO_Pos").orElse("");
    sql.run(cand.name(), "STOP SLAVE IO_THREAD;");
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

  private static long seq(Optional<String> gtid) {
    // Domain 0 is the primary-replica set's; a position is a list like 0-1-42.
    return gtid.stream()
        .flatMap(g -> java.util.Arrays.stream(g.split(",")))
        .map(String::strip)
        .filter(g -> g.startsWith("0-"))
        .mapToLong(g -> Long.parseLong(g.substring(g.lastIndexOf('-') + 1)))
        .max()
        .orElse(0);
  }
}
