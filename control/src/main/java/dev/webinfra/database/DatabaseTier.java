package dev.webinfra.database;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Units;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.site.Secrets;
import dev.webinfra.site.SiteContext;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings the database servers up in the order their layout needs: the primary before its replicas,
 * the first Galera member (bootstrapping the cluster) before the others, and every asynchronous
 * replica pointed at its source. Users and schema are created once, on a writable server, and reach
 * the others through replication. Starting one server is the caller's: this class only orders.
 */
public final class DatabaseTier {
  /** Starts or keeps one server as planned, with extra arguments for this start only. */
  public interface Servers {
    /** Brings {@code h}'s server to its planned state; {@code extraArgs} only if it starts. */
    void ensure(Host h, List<String> extraArgs);

    /** Whether {@code h}'s server runs and answers. */
    boolean running(Host h);

    /**
     * Stops {@code h}'s server if its process runs. It is called only for a member that is not
     * ready (no member is), so it may be killed after a short grace: see {@code lab.Applier}.
     */
    void stop(Host h);

    /**
     * As {@link #ensure} with no extra arguments, but waits at most {@code ready} for it to be
     * ready; false if it still starts then (its process runs).
     */
    default boolean ensureWithin(Host h, java.time.Duration ready) {
      ensure(h, List.of());
      return true;
    }
  }

  /** How long a member joining a recovered cluster is waited for before start moves on. */
  public static final java.time.Duration JOIN_READY = java.time.Duration.ofSeconds(2);

  private final Topology t;
  private final HostDriver driver;
  private final Servers servers;
  private final Sql sql;
  private final Secrets secrets;
  private final Consumer<String> say;
  private final Replication replication;
  private final Optional<String> forcedBootstrap;
  private final Consumer<String> waiting;
  private Consumer<Host> bootstrappedFirst = h -> {};
  private Consumer<List<Host>> beforeMembersStart = hs -> {};
  // Members that were not ready when start moved on (they join by state transfer): the last
  // sources a replica is pointed at.
  private final Set<Host> stillJoining = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The database tier of {@code site}, whose servers {@code servers} starts and stops. */
  public DatabaseTier(SiteContext site, Servers servers) {
    this(site, servers, Optional.empty(), m -> {});
  }

  /**
   * As the other constructor; {@code forcedBootstrap} is an operator's {@code db bootstrap HOST
   * --force}, and {@code waiting} hears why a Galera cluster is not bootstrapped (for the event
   * log).
   */
  public DatabaseTier(
      SiteContext site,
      Servers servers,
      Optional<String> forcedBootstrap,
      Consumer<String> waiting) {
    this.forcedBootstrap = forcedBootstrap;
    this.waiting = waiting;
    this.t = site.topology();
    this.driver = site.driver();
    this.servers = servers;
    this.sql = new Sql(driver);
    this.secrets = site.secrets();
    this.replication = new Replication(driver, secrets, site.poll(), site.say());
    this.say = site.say();
  }

  /**
   * Who hears the member that bootstrapped a recovered cluster, as soon as it is ready (Primary)
   * and before the others join it: the writes can come back through that member's own app while the
   * others still join, which after a full-cluster recovery takes seconds.
   */
  public DatabaseTier bootstrappedFirst(Consumer<Host> ready) {
    this.bootstrappedFirst = ready;
    return this;
  }

  /**
   * Who hears the members whose start takes seconds, before it begins: the live members before a
   * full-cluster recovery stops them and reads their positions, and the members that join a running
   * cluster (a state transfer). The other daemons of their hosts, started in any case, may start
   * meanwhile. Not on a first start, before the accounts those daemons use exist.
   */
  public DatabaseTier beforeMembersStart(Consumer<List<Host>> members) {
    this.beforeMembersStart = members;
    return this;
  }

  /** Converges every database server of the hosts not {@code stopped}. */
  public void converge(Set<String> stopped, String schema, Parallel parallel) {
    Database db = t.database();
    java.util.function.Predicate<String> live = n -> !stopped.contains(n);
    switch (db.kind()) {
      case NONE -> {}
      case SINGLE -> {
        Host p = host(db.primary().orElseThrow());
        if (live.test(p.name())) {
          servers.ensure(p, List.of());
          bootstrap(p, schema);
        }
      }
      case PRIMARY_REPLICA -> {
        Host p = host(db.primary().orElseThrow());
        boolean primaryUp = live.test(p.name());
        if (primaryUp) {
          servers.ensure(p, List.of());
          // Semi-sync has no fall-back: with no replica connected yet it would hold the schema's
          // own writes forever. It is switched back on once the replicas follow.
          if (db.semiSync()) {
            sql.run(p.name(), "SET GLOBAL rpl_semi_sync_master_enabled = OFF;");
          }
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
              servers.ensure(r, List.of());
              if (primaryUp) {
                replication.follow(r, p);
              }
            });
        if (primaryUp && db.semiSync()) {
          sql.run(p.name(), "SET GLOBAL rpl_semi_sync_master_enabled = ON;");
        }
      }
      case GALERA -> {
        List<Host> members = db.members().stream().filter(live).map(this::host).toList();
        List<Host> runs = members.stream().filter(this::running).toList();
        Host bootstrapped = null;
        Host recoveredFrom = null;
        // A member that joins a running cluster (after its host's power cut, say) takes a state
        // transfer: start gives it JOIN_READY and says it joins, as after a recovery, instead of
        // blocking for it. A member that runs is restarted in turn, each waited for: the cluster
        // keeps its quorum.
        List<Host> joiners =
            runs.isEmpty() ? List.of() : members.stream().filter(m -> !runs.contains(m)).toList();
        if (!joiners.isEmpty()) {
          beforeMembersStart.accept(joiners);
        }
        if (runs.isEmpty()) {
          // No cluster to join: one member starts a new one, and never one behind another. A
          // member restarted meanwhile (by the controller) waits for a primary component that
          // does not exist and holds the datadir its position is recovered from: it stops first.
          if (db.members().stream()
              .anyMatch(
                  m ->
                      driver
                          .readFile(
                              m, driver.paths(m).data().resolve("mysql").resolve("grastate.dat"))
                          .isPresent())) {
            beforeMembersStart.accept(members);
          }
          parallel.run(members, servers::stop);
          // Each recovery replays a member's redo log (a second or more): all at once.
          GaleraPositions reader = new GaleraPositions(driver);
          java.util.Map<String, GaleraBootstrap.Position> read =
              new java.util.concurrent.ConcurrentHashMap<>();
          parallel.run(
              db.members().stream().map(this::host).toList(),
              m -> read.put(m.name(), reader.of(m.name(), live.test(m.name()))));
          List<GaleraBootstrap.Position> positions = db.members().stream().map(read::get).toList();
          GaleraBootstrap.Decision d =
              GaleraBootstrap.decide(
                  positions,
                  forcedBootstrap,
                  db.arbitrator()
                      .filter(live)
                      .flatMap(a -> new GaleraPositions(driver).arbitratorLastPrimary(a)));
          if (d instanceof GaleraBootstrap.Decision.Wait w) {
            say.accept("  " + w.message());
            waiting.accept(w.message());
            // One line per member left waiting, for start's summary and status.
            String why =
                w.message().contains("may be more advanced")
                    ? ", which may be ahead"
                    : ", which runs without a primary component";
            for (Host m : members) {
              String on =
                  String.join(
                      ", ", w.waitingFor().stream().filter(x -> !x.equals(m.name())).toList());
              waiting.accept(
                  "mariadb on "
                      + m.name()
                      + " waits for "
                      + (on.isEmpty() ? "a quorum" : on + why));
            }
            return;
          }
          GaleraBootstrap.Decision.Bootstrap b = (GaleraBootstrap.Decision.Bootstrap) d;
          if (!b.warning().isEmpty()) {
            say.accept("  warning: " + b.warning());
            waiting.accept(b.warning());
          }
          say.accept(
              "  "
                  + b.member()
                  + "/mariadb: bootstraps the cluster (positions: "
                  + positions
                  + ")");
          bootstrapped = host(b.member());
          markSafeToBootstrap(bootstrapped);
          servers.ensure(bootstrapped, List.of("--wsrep-new-cluster"));
          // A recovery, not a first start: some member held data.
          if (positions.stream().anyMatch(pos -> !pos.uuid().isEmpty())) {
            recoveredFrom = bootstrapped;
            // Its accounts and schema exist already: its own daemons need not wait for the others.
            bootstrappedFirst.accept(bootstrapped);
          }
        }
        // After a recovery the others join while the schema step and the replicas go on (the writer
        // is known: the bootstrapped member), instead of after their join's wait.
        Host recovered = recoveredFrom;
        List<Host> from = recoveredFrom == null ? runs : List.of(recoveredFrom);
        Host skip = bootstrapped;
        Runnable others =
            () ->
                ensureOthers(
                    members.stream().filter(m -> !m.equals(skip)).toList(),
                    recovered == null ? joiners : members,
                    from);
        java.util.concurrent.CompletableFuture<Void> joining =
            recoveredFrom == null
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : java.util.concurrent.CompletableFuture.runAsync(
                    others, r -> Thread.ofVirtual().start(r));
        if (recoveredFrom == null) {
          others.run();
        }
        try {
          convergeWriterAndReplicas(db, members, recoveredFrom, live, schema, parallel);
        } finally {
          try {
            joining.join();
          } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
          }
        }
      }
    }
  }

  // Starts {@code others} one after another; each of {@code joining} (after a recovery, every one;
  // else those that join a running cluster) is given JOIN_READY, and named if it still joins.
  private void ensureOthers(List<Host> others, List<Host> joining, List<Host> from) {
    // The joiners last: a member that runs and restarts is waited for, with the others still
    // joining it would not be.
    List<Host> order = new ArrayList<>(others);
    order.sort(java.util.Comparator.comparing(joining::contains));
    for (Host m : order) {
      // Each server is ensured once: a second ensure would act on its planned change again.
      if (!joining.contains(m)) {
        servers.ensure(m, List.of());
      } else if (!servers.ensureWithin(m, JOIN_READY)) {
        // The member joins by state transfer, which may take a minute: start does not wait for
        // it, and says so.
        stillJoining.add(m);
        String line =
            "mariadb on "
                + m.name()
                + " joins the cluster from "
                + String.join(", ", from.stream().map(Host::name).toList())
                + " (state transfer)";
        say.accept("  " + line);
        waiting.accept(line);
      }
    }
  }

  // The schema on a writable member, and each replica pointed at the cluster.
  private void convergeWriterAndReplicas(
      Database db,
      List<Host> members,
      Host recoveredFrom,
      java.util.function.Predicate<String> live,
      String schema,
      Parallel parallel) {
    // After a recovery, the member that bootstrapped is Primary: it is the writer, even while
    // its probe fails for a moment (it may be the donor of a joining member's state transfer,
    // and the probe's one-second connect may time out on a busy machine).
    Host writer =
        Optional.ofNullable(recoveredFrom)
            .or(() -> members.stream().filter(this::running).findFirst())
            .orElseThrow(
                () ->
                    WebinfraException.unexpectedState(
                        "database: no Galera member is running after start-up"));
    bootstrap(writer, schema);
    // The configured source first, then any other member: a member that rejoined by full state
    // transfer has lost the binlog history the replica needs, while the others still have it.
    // After a full-cluster recovery only the bootstrapped member surely has it: it goes first.
    List<Host> sources = new ArrayList<>();
    if (recoveredFrom != null) {
      sources.add(recoveredFrom);
    }
    db.replicationSource()
        .filter(live)
        .map(this::host)
        .filter(h -> !sources.contains(h))
        .ifPresent(sources::add);
    members.stream().filter(m -> !sources.contains(m)).forEach(sources::add);
    // A member still joining cannot serve a replica yet: tried last.
    sources.sort(java.util.Comparator.comparing(stillJoining::contains));
    parallel.run(
        db.replicas().stream().filter(live).map(this::host).toList(),
        r -> {
          servers.ensure(r, List.of());
          replication.fromAny(r, sources);
        });
  }

  private Host host(String name) {
    return t.host(name).orElseThrow();
  }

  private boolean running(Host h) {
    return servers.running(h);
  }

  // After a crash of the whole cluster Galera refuses to bootstrap from a node it did not mark
  // safe.
  private void markSafeToBootstrap(Host h) {
    HostPaths p = driver.paths(h.name());
    Path grastate = p.data().resolve("mysql").resolve("grastate.dat");
    Optional<String> g = driver.readFile(h.name(), grastate);
    if (g.isEmpty() || !g.get().contains("safe_to_bootstrap: 0")) {
      return;
    }
    driver.writeFile(
        h.name(),
        grastate,
        g.get().replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"),
        "rw-rw----",
        "mysql");
    // The start script uses the position recovered moments ago only if its file is newer than
    // grastate.dat (the member has not run since); this rewrite, of the flag only, must not make it
    // look stale, or the start replays the redo log again (seconds on a busy machine). Touched a
    // tick later and checked with the script's own test; if that fails, the start recovers again.
    Path recovered = MariadbRenderer.recoveredPosition(p);
    driver.exec(
        h.name(),
        List.of(
            "sh",
            "-c",
            "[ -s \"$1\" ] || exit 0; sleep 0.02; touch \"$1\"; [ \"$1\" -nt \"$2\" ]",
            "touch-recovered",
            recovered.toString(),
            grastate.toString()),
        null,
        java.time.Duration.ofSeconds(5));
  }

  /**
   * What the app's account may do in its database: our guestbook reads and writes rows of the
   * schema it ships; a user's app creates its own tables too, so it may also change the schema.
   */
  static String appPrivileges(Topology t) {
    return t.app() instanceof dev.webinfra.topology.AppProgram.Guestbook
        ? "SELECT, INSERT, UPDATE, DELETE"
        : "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES";
  }

  /** Schema, the app's account per app address, and a replication-only account per db address. */
  public void bootstrap(Host writable, String schema) {
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
      s.append("GRANT ").append(appPrivileges(t)).append(" ON webinfra.* TO ").append(user);
      s.append(";\n");
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
    // The accounts other daemons need, such as a metrics exporter's.
    for (DaemonUnit u : Units.ALL) {
      for (String statement : u.databaseAccounts(t)) {
        s.append(withSecrets(statement)).append(";\n");
      }
    }
    sql.run(writable.name(), s.toString());
  }

  private static final Pattern SECRET = Pattern.compile("\\{\\{secret:([a-z0-9-]+)}}");

  // {{secret:NAME}} becomes the lab's secret NAME, quoted as an SQL string.
  private String withSecrets(String statement) {
    return SECRET
        .matcher(statement)
        .replaceAll(m -> Matcher.quoteReplacement(Sql.quote(secrets.password(m.group(1)))));
  }

  /** Runs a task on several hosts at once. */
  public interface Parallel {
    /** Runs {@code task} for each of {@code hosts}, returning when all are done. */
    void run(List<Host> hosts, Consumer<Host> task);
  }
}
