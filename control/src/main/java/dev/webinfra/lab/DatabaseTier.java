package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.plan.Component;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings the database servers up in the order their layout needs: the primary before its replicas,
 * the first Galera member (bootstrapping the cluster) before the others, and every asynchronous
 * replica pointed at its source. Users and schema are created once, on a writable server, and reach
 * the others through replication.
 */
final class DatabaseTier {
  private final Topology t;
  private final LabLayout layout;
  private final LabHostDriver driver;
  private final DaemonRunner runner;
  private final Sql sql;
  private final Secrets secrets;
  private final Consumer<String> say;
  private final java.time.Clock clock;

  DatabaseTier(
      Topology t,
      LabHostDriver driver,
      DaemonRunner runner,
      Secrets secrets,
      java.time.Clock clock,
      Consumer<String> say) {
    this.clock = clock;
    this.t = t;
    this.layout = driver.layout();
    this.driver = driver;
    this.runner = runner;
    this.sql = new Sql(driver, layout);
    this.secrets = secrets;
    this.say = say;
  }

  /** Converges every database server; {@code drifted} names the hosts whose config changed. */
  void converge(Set<String> drifted, Set<String> stopped, String schema, Lab.Parallel parallel) {
    Database db = t.database();
    java.util.function.Predicate<String> live = n -> !stopped.contains(n);
    switch (db.kind()) {
      case NONE -> {}
      case SINGLE -> {
        Host p = host(db.primary().orElseThrow());
        if (live.test(p.name())) {
          ensureServer(p, drifted.contains(p.name()), List.of());
          bootstrap(p, schema);
        }
      }
      case PRIMARY_REPLICA -> {
        Host p = host(db.primary().orElseThrow());
        boolean primaryUp = live.test(p.name());
        if (primaryUp) {
          ensureServer(p, drifted.contains(p.name()), List.of());
          bootstrap(p, schema);
        } else {
          say.accept(
              "  "
                  + p.name()
                  + "/mariadb: the primary's host is stopped; replicas start and wait for it");
        }
        parallel.run(
            db.replicas().stream().filter(live).map(this::host).toList(),
            r -> {
              ensureServer(r, drifted.contains(r.name()), List.of());
              if (primaryUp) {
                ensureReplicating(r, p);
              }
            });
      }
      case GALERA -> {
        List<Host> members = db.members().stream().filter(live).map(this::host).toList();
        boolean clusterUp = members.stream().anyMatch(this::running);
        for (Host m : members) {
          // With no member up there is no cluster to join: the first one starts a new one.
          List<String> extra = clusterUp ? List.of() : List.of("--wsrep-new-cluster");
          if (!clusterUp) {
            markSafeToBootstrap(m);
          }
          ensureServer(m, drifted.contains(m.name()), extra);
          clusterUp = true;
        }
        Host writer =
            members.stream()
                .filter(this::running)
                .findFirst()
                .orElseThrow(
                    () ->
                        WebinfraException.unexpectedState(
                            "database: no Galera member is running after start-up"));
        bootstrap(writer, schema);
        // The configured source first, then any other member: a member that rejoined by full state
        // transfer has lost the binlog history the replica needs, while the others still have it.
        List<Host> sources = new ArrayList<>();
        db.replicationSource().filter(live).map(this::host).ifPresent(sources::add);
        members.stream().filter(m -> !sources.contains(m)).forEach(sources::add);
        parallel.run(
            db.replicas().stream().filter(live).map(this::host).toList(),
            r -> {
              ensureServer(r, drifted.contains(r.name()), List.of());
              ensureReplicatingFromAny(r, sources);
            });
      }
    }
  }

  private Host host(String name) {
    return t.host(name).orElseThrow();
  }

  private boolean running(Host h) {
    Daemon d = Daemons.of(t, h, Component.MARIADB, layout);
    return runner.runningPid(d) != null && runner.probe(d).ok();
  }

  /** Starts the server unless it runs with an unchanged config; returns whether it was started. */
  boolean ensureServer(Host h, boolean drifted, List<String> extraArgs) {
    Daemon d = Daemons.of(t, h, Component.MARIADB, layout);
    Long pid = runner.runningPid(d);
    if (pid != null && !drifted) {
      say.accept("  " + d.id() + ": running (pid " + pid + "), config unchanged");
      return false;
    }
    if (pid != null) {
      say.accept("  " + d.id() + ": restarting: config drift");
      runner.stop(d);
    }
    LabLayout.HostDirs dirs = layout.host(h.name());
    if (!Files.isDirectory(dirs.data().resolve("mysql").resolve("mysql"))) {
      say.accept("  " + d.id() + ": initialising datadir " + dirs.data().resolve("mysql"));
      // root gets the unix_socket plugin only: it logs in through the socket, never with a
      // password.
      var r =
          driver.exec(
              h.name(),
              List.of(
                  "mariadb-install-db",
                  "--defaults-file=" + dirs.etc().resolve("my.cnf"),
                  "--auth-root-authentication-method=socket",
                  "--skip-test-db",
                  "--skip-name-resolve"),
              null,
              Duration.ofSeconds(120));
      if (!r.ok()) {
        throw WebinfraException.unexpectedState(
            "host " + h.name() + ": mariadb-install-db failed: " + r.describe());
      }
    }
    runner.start(d, extraArgs, Duration.ofSeconds(120));
    return true;
  }

  // After a crash of the whole cluster Galera refuses to bootstrap from a node it did not mark
  // safe.
  private void markSafeToBootstrap(Host h) {
    Path grastate = layout.host(h.name()).data().resolve("mysql").resolve("grastate.dat");
    try {
      if (Files.exists(grastate)) {
        Files.writeString(
            grastate,
            Files.readString(grastate).replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"));
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + h.name() + ": cannot update " + grastate + ": " + e.getMessage(), e);
    }
  }

  /** Schema, the app's account per app address, and a replication-only account per db address. */
  void bootstrap(Host writable, String schema) {
    StringBuilder s = new StringBuilder(schema).append("\n");
    String appPw = Sql.quote(secrets.password("db-app"));
    Set<String> appFrom = new LinkedHashSet<>();
    for (Host app : t.hostsWith(Role.APP)) {
      for (Host db : t.hostsWith(Role.DB)) {
        appFrom.add(app.addressFor(db).toString());
      }
    }
    for (String from : appFrom) {
      String user = "'webinfra_app'@" + Sql.quote(from);
      s.append("CREATE USER IF NOT EXISTS ")
          .append(user)
          .append(" IDENTIFIED BY ")
          .append(appPw)
          .append(";\n");
      s.append("ALTER USER ").append(user).append(" IDENTIFIED BY ").append(appPw).append(";\n");
      s.append("GRANT SELECT, INSERT, UPDATE, DELETE ON webinfra.* TO ").append(user).append(";\n");
    }
    if (t.database().kind() == Database.Kind.PRIMARY_REPLICA
        || !t.database().replicas().isEmpty()) {
      String replPw = Sql.quote(secrets.password("db-repl"));
      for (Host db : t.hostsWith(Role.DB)) {
        for (Attachment a : db.attachments()) {
          String user = "'repl'@" + Sql.quote(a.address().toString());
          s.append("CREATE USER IF NOT EXISTS ")
              .append(user)
              .append(" IDENTIFIED BY ")
              .append(replPw)
              .append(";\n");
          s.append("ALTER USER ")
              .append(user)
              .append(" IDENTIFIED BY ")
              .append(replPw)
              .append(";\n");
          // Replication privileges only: it can stream the binlog and nothing else.
          s.append("GRANT REPLICATION SLAVE ON *.* TO ").append(user).append(";\n");
        }
      }
    }
    sql.run(writable.name(), s.toString());
  }

  /** Points {@code replica} at the first source that can serve it from its position. */
  void ensureReplicatingFromAny(Host replica, List<Host> sources) {
    List<String> failures = new ArrayList<>();
    for (Host source : sources) {
      try {
        ensureReplicating(replica, source);
        return;
      } catch (WebinfraException e) {
        failures.add(source.name() + ": " + e.getMessage());
        say.accept(
            "  "
                + replica.name()
                + "/mariadb: cannot follow "
                + source.name()
                + ", trying the next member");
      }
    }
    throw WebinfraException.unexpectedState(
        "host "
            + replica.name()
            + ": no member can serve its replication ("
            + String.join("; ", failures)
            + "); rebuild it by taking it down and up again");
  }

  /** Points {@code replica} at {@code source} (by GTID) unless it already replicates from it. */
  void ensureReplicating(Host replica, Host source) {
    String want = source.addressFor(replica).toString();
    Optional<String> current = sql.slaveStatus(replica.name(), "Master_Host");
    boolean ok =
        current.filter(want::equals).isPresent()
            && sql.slaveStatus(replica.name(), "Slave_IO_Running").filter("Yes"::equals).isPresent()
            && sql.slaveStatus(replica.name(), "Slave_SQL_Running")
                .filter("Yes"::equals)
                .isPresent();
    if (!ok) {
      say.accept(
          "  "
              + replica.name()
              + "/mariadb: replicating from "
              + source.name()
              + " ("
              + want
              + ")");
      // current_pos: a former primary resumes after its own last transaction, never replays it.
      sql.run(
          replica.name(),
          "STOP SLAVE;\nSET GLOBAL read_only = ON;\nCHANGE MASTER TO MASTER_HOST = "
              + Sql.quote(want)
              + ", MASTER_PORT = "
              + source.settings().db().port()
              + ", MASTER_USER = 'repl', MASTER_PASSWORD = "
              + Sql.quote(secrets.password("db-repl"))
              + ", MASTER_USE_GTID = current_pos, MASTER_CONNECT_RETRY = 1;\nSTART SLAVE;\n");
    }
    awaitReplicating(replica, Duration.ofSeconds(30));
  }

  void awaitReplicating(Host replica, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      boolean io =
          sql.slaveStatus(replica.name(), "Slave_IO_Running").filter("Yes"::equals).isPresent();
      boolean sqlThread =
          sql.slaveStatus(replica.name(), "Slave_SQL_Running").filter("Yes"::equals).isPresent();
      if (io && sqlThread) {
        return;
      }
      // 1236: the source no longer has the binlog this replica needs; waiting will not help.
      if (sql.slaveStatus(replica.name(), "Last_IO_Errno").filter("1236"::equals).isPresent()) {
        break;
      }
      DaemonRunner.sleep(200);
    }
    List<String> errors = new ArrayList<>();
    for (String f :
        List.of("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error")) {
      errors.add(f + "=" + sql.slaveStatus(replica.name(), f).orElse("?"));
    }
    throw WebinfraException.unexpectedState(
        "host "
            + replica.name()
            + ": replication not running after "
            + timeout.toSeconds()
            + " s ("
            + String.join(", ", errors)
            + ")");
  }
}
