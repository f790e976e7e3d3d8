package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.Desired;
import dev.webinfra.apply.EarlyHosts;
import dev.webinfra.apply.InParallel;
import dev.webinfra.apply.Planner;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.database.DatabaseTier;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.plan.Change;
import dev.webinfra.plan.Units;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.site.Secrets;
import dev.webinfra.site.SiteContext;
import dev.webinfra.tls.HostCertificates;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Carries out a plan: the machine's own firewall, wiring, firewalls and system files first, then
 * each unit's daemons in start order (the hosts of one unit together), the database servers in the
 * order their design needs.
 */
final class Applier {
  private final SiteContext site;
  private final Topology t;
  private final HostDriver driver;
  private final SiteFabric fabric;
  private final Supervisor runner;
  private final Secrets secrets;
  private final HostCertificates certificates;
  private final Poll poll;
  private final Consumer<String> say;
  private Optional<String> forcedBootstrap = Optional.empty();
  private Consumer<String> galeraWaits = m -> {};
  // What still waits once this apply returns (a Galera member for another, an app for its
  // database): start says so instead of blocking until it is ready.
  private final List<String> waits = java.util.Collections.synchronizedList(new ArrayList<>());
  // Daemons launched ahead of their turn (see launchAhead): their turn only awaits
  // their readiness.
  private final Set<Desired> launched = ConcurrentHashMap.newKeySet();
  private volatile java.util.concurrent.CompletableFuture<Void> launching =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  /**
   * How long a daemon started while the database waits may take to be ready before start returns
   * and says it waits: an app cannot be ready without its database.
   */
  static final Duration READY_WHILE_DB_WAITS = Duration.ofSeconds(2);

  /** As {@link #READY_WHILE_DB_WAITS}, on the host whose own database member waits. */
  static final Duration READY_WHILE_OWN_DB_WAITS = Duration.ofSeconds(1);

  /**
   * How long a Galera member that is not ready is given to stop on TERM before it is killed, when
   * the whole cluster is recovered. One that waits for a primary component (the controller
   * restarted it while its peer was down) is still in its start-up, where mariadbd handles no
   * signal: TERM did nothing and it was killed after 10 s, which start then spent waiting. Killing
   * it loses nothing: it has committed nothing since it started (no primary component), InnoDB
   * recovers from a kill as from the power cut before, and its position is recovered after.
   */
  static final Duration STOP_UNREADY_MEMBER = Duration.ofSeconds(1);

  /**
   * An applier to {@code site}, whose networks, hosts and machine-side guard {@code fabric} makes,
   * installing {@code certificates}.
   */
  Applier(SiteContext site, SiteFabric fabric, HostCertificates certificates) {
    this.site = site;
    this.t = site.topology();
    this.driver = site.driver();
    this.fabric = fabric;
    this.runner = site.runner();
    this.secrets = site.secrets();
    this.certificates = certificates;
    this.poll = site.poll();
    this.say = site.say();
  }

  /**
   * An operator's {@code db bootstrap HOST --force}, and who hears why a Galera cluster waits
   * instead of bootstrapping (the event log).
   */
  Applier galera(Optional<String> forced, Consumer<String> waits) {
    this.forcedBootstrap = forced;
    this.galeraWaits =
        m -> {
          waits.accept(m);
          if (m.startsWith("mariadb on ")) {
            // A member that joins is not a wait on anything the operator must do.
            this.waits.add(m);
          }
        };
    return this;
  }

  /**
   * Makes what the site's hosts stand on, before anything is written to them: the lab's networks
   * and namespaces, or on servers the packages and users their files and daemons need.
   */
  void wire(Set<String> stopped) {
    // Before the wiring: the machine's own addresses are never open to the site's hosts.
    fabric.guardMachine(t);
    fabric.ensure(t, stopped);
  }

  /** What still waited when the last {@link #apply} returned, one line each. */
  List<String> waits() {
    return List.copyOf(waits);
  }

  /**
   * Applies {@code planned} to hosts whose wiring is made ({@link #wire}); hosts in {@code stopped}
   * keep their links down and start nothing.
   */
  void apply(Planner planned, Planner.Planned p, Set<String> stopped, String schema) {
    // Each host's ruleset and system files, all hosts at once: on servers each is a few SSH round
    // trips.
    inParallel(
        t.hosts().stream().filter(h -> !stopped.contains(h.name())).toList(),
        h -> {
          firewall(h, planned, p);
          systemFiles(h);
        });
    // Every daemon the plan keeps and that still runs is told at once, all hosts together: one by
    // one, unit after unit, they took seconds of a start that changed a single host.
    Set<Desired> kept = ConcurrentHashMap.newKeySet();
    inParallel(
        t.hosts().stream().filter(h -> !stopped.contains(h.name())).toList(),
        h -> {
          List<Desired> keep =
              p.daemons().stream()
                  .filter(d -> d.host().equals(h) && !d.unit().name().equals(MariadbUnit.NAME))
                  .filter(d -> change(p, d).action() == Change.Action.KEEP)
                  .toList();
          // One question for the host's daemons: on servers each is an SSH round trip.
          List<Optional<String>> instances =
              runner.instances(keep.stream().map(Desired::spec).toList());
          for (int i = 0; i < keep.size(); i++) {
            Desired d = keep.get(i);
            instances
                .get(i)
                .ifPresent(
                    instance -> {
                      say.accept("  " + d.spec().id() + ": running (" + instance + "), unchanged");
                      kept.add(d);
                    });
          }
        });
    // The hosts whose daemons after the database started early (see EarlyHosts), and how it went.
    EarlyHosts early = new EarlyHosts(t.lab());
    try {
      applyUnits(p, stopped, schema, kept, early);
    } catch (RuntimeException e) {
      early.awaitQuietly();
      launching.exceptionally(x -> null).join();
      throw e;
    }
    early.await();
  }

  private void applyUnits(
      Planner.Planned p, Set<String> stopped, String schema, Set<Desired> kept, EarlyHosts early) {
    for (var unit : Units.ALL) {
      List<Desired> of =
          p.daemons().stream()
              .filter(d -> d.unit() == unit && !stopped.contains(d.host().name()))
              .filter(d -> !kept.contains(d) && !early.has(d.host()))
              .toList();
      if (of.isEmpty()) {
        continue;
      }
      if (unit.name().equals(MariadbUnit.NAME)) {
        // A new server's datadir (mariadb-install-db: seconds) is made on each at once, not on each
        // in its turn in the order the servers start, one after another.
        InParallel.each(
            t.lab(),
            of.stream().filter(d -> change(p, d).action() == Change.Action.CREATE).toList(),
            d -> {
              write(d.spec());
              runner.prepare(d.spec());
            });
        // The bootstrapped member's other daemons start together, not in start order: the app is
        // what the writes wait for, and each daemon's readiness already waits for what it needs
        // (nginx answers before its app; the exporters retry their targets).
        databaseTier(of, p)
            .beforeMembersStart(members -> launchAhead(p, kept, members, unit))
            .bootstrappedFirst(
                h ->
                    early.start(
                        h,
                        () ->
                            InParallel.each(
                                t.lab(),
                                p.daemons().stream()
                                    .filter(d -> d.host().equals(h) && !kept.contains(d))
                                    .filter(
                                        d -> Units.ALL.indexOf(d.unit()) > Units.ALL.indexOf(unit))
                                    .toList(),
                                d -> {
                                  awaitLaunched();
                                  act(d, change(p, d), List.of());
                                })))
            .converge(stopped, schema, this::inParallel);
      } else {
        awaitLaunched();
        boolean dbWaits = !waits.isEmpty();
        inParallel(
            of.stream().map(Desired::host).toList(),
            h -> {
              // Everything that reaches the database through the app (the app, nginx in front of
              // it) cannot be ready while the database waits: named, not waited for.
              if (dbWaits) {
                actWhileDbWaits(find(of, h), change(p, find(of, h)));
              } else {
                act(find(of, h), change(p, find(of, h)), List.of());
              }
            });
      }
    }
  }

  // Before a full-cluster recovery (positions read, then a bootstrap: seconds), the members' hosts'
  // other daemons that do not run are launched, not awaited: the app's JVM takes seconds to start,
  // and is started in any case, ready once its database is (on a member left waiting, it is left
  // running as before). Their turn in the apply awaits their readiness as it would after a start.
  private void launchAhead(
      Planner.Planned p, Set<Desired> kept, List<Host> members, DaemonUnit database) {
    List<Desired> ahead =
        p.daemons().stream()
            .filter(d -> members.contains(d.host()) && !kept.contains(d))
            .filter(d -> Units.ALL.indexOf(d.unit()) > Units.ALL.indexOf(database))
            .filter(d -> !runner.isRunning(d.spec()))
            .toList();
    launching =
        java.util.concurrent.CompletableFuture.runAsync(
            () ->
                InParallel.each(
                    t.lab(),
                    ahead,
                    d -> {
                      write(d.spec());
                      runner.launch(d.spec(), d.fingerprint());
                      launched.add(d);
                    }),
            r -> Thread.ofVirtual().start(r));
  }

  // The launches of launchAhead are done (a daemon's turn must find it launched), or their failure.
  private void awaitLaunched() {
    try {
      launching.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  DatabaseTier databaseTier(List<Desired> servers, Planner.Planned p) {
    return new DatabaseTier(
        site,
        new DatabaseTier.Servers() {
          @Override
          public void ensure(Host h, List<String> extraArgs) {
            Desired d = find(servers, h);
            act(d, change(p, d), extraArgs);
          }

          @Override
          public boolean running(Host h) {
            DaemonSpec s = find(servers, h).spec();
            return runner.isRunning(s) && runner.probe(s).ok();
          }

          @Override
          public boolean ensureWithin(Host h, Duration ready) {
            Desired d = find(servers, h);
            try {
              act(d, change(p, d), List.of(), ready);
              return true;
            } catch (WebinfraException e) {
              if (!runner.isRunning(d.spec())) {
                throw e;
              }
              return false;
            }
          }

          @Override
          public void stop(Host h) {
            DaemonSpec s = find(servers, h).spec();
            if (runner.isRunning(s)) {
              runner.stop(s, STOP_UNREADY_MEMBER);
            }
          }
        },
        forcedBootstrap,
        galeraWaits);
  }

  private static Desired find(List<Desired> of, Host h) {
    return of.stream().filter(d -> d.host().equals(h)).findFirst().orElseThrow();
  }

  private static Change change(Planner.Planned p, Desired d) {
    return p.plan().daemon(d.host().name(), d.unit().name()).orElseThrow();
  }

  // A daemon started while the database waits (the app, nginx whose readiness asks the app) is
  // given a few seconds; if it is not ready by then, it keeps running (the app connects once the
  // database is back) and start says so.
  private void actWhileDbWaits(Desired d, Change c) {
    // On the host whose own database waits, nothing that asks it can be ready: a second catches a
    // daemon that dies at once, and start returns instead of waiting out the rest.
    boolean own = waits.stream().anyMatch(w -> w.startsWith("mariadb on " + d.host().name() + " "));
    try {
      act(d, c, List.of(), own ? READY_WHILE_OWN_DB_WAITS : READY_WHILE_DB_WAITS);
    } catch (WebinfraException e) {
      if (!runner.isRunning(d.spec())) {
        throw e;
      }
      // The database's own waits: an app's or nginx's line, itself naming them, would repeat them.
      List<String> dbWaits =
          waits.stream()
              .filter(w -> w.startsWith("mariadb on ") && w.contains(" waits for "))
              .toList();
      String line =
          d.unit().name()
              + " on "
              + d.host().name()
              + (dbWaits.isEmpty()
                  ? " is still starting (" + String.join("; ", waits) + ")"
                  : " waits for its database (" + String.join("; ", dbWaits) + ")");
      say.accept("  " + d.spec().id() + ": running, not ready yet");
      waits.add(line);
    }
  }

  /** Brings one daemon to its planned state. */
  void act(Desired d, Change c, List<String> extraArgs) {
    act(d, c, extraArgs, Duration.ofSeconds(120));
  }

  private void act(Desired d, Change c, List<String> extraArgs, Duration ready) {
    DaemonSpec s = d.spec();
    if (launched.remove(d)) {
      runner.awaitStarted(s, ready);
      return;
    }
    Optional<String> running = runner.instance(s);
    switch (c.action()) {
      case KEEP -> {
        if (running.isPresent()) {
          say.accept("  " + s.id() + ": running (" + running.get() + "), unchanged");
          return;
        }
        // Died since the plan was made: start it.
        start(d, extraArgs, "not running", ready);
      }
      case RELOAD -> {
        if (running.isPresent()) {
          write(s);
          say.accept("  " + s.id() + ": reloading (" + String.join("; ", c.reasons()) + ")");
          runner.reload(s, d.fingerprint());
        } else {
          start(d, extraArgs, "not running", ready);
        }
      }
      // start writes the files: once, not before the stop too (on a server each look at them is a
      // round trip).
      case CREATE, START, RESTART -> {
        if (running.isPresent()) {
          say.accept("  " + s.id() + ": restarting (" + String.join("; ", c.reasons()) + ")");
          runner.stop(s);
        }
        start(d, extraArgs, String.join("; ", c.reasons()), ready);
      }
    }
  }

  private void start(Desired d, List<String> extraArgs, String why, Duration ready) {
    DaemonSpec s = d.spec();
    write(s);
    DaemonSpec run = extraArgs.isEmpty() ? s : s.withArgs(extraArgs);
    runner.start(run, d.fingerprint(), ready);
  }

  /** Writes the spec's rendered files that differ from the host's, read in one ask. */
  void write(DaemonSpec s) {
    RenderedFile.writeChanged(driver, s.host(), s.files());
  }

  /**
   * Loads the host's ruleset before any daemon starts behind it ({@code nft -f} replaces it
   * atomically); with the firewall off, removes webinfra's table.
   */
  private void firewall(Host h, Planner planner, Planner.Planned p) {
    if (!h.settings().firewall().enabled()) {
      driver.exec(
          h.name(),
          List.of("nft", "delete", "table", "inet", "webinfra"),
          null,
          Duration.ofSeconds(10));
      return;
    }
    RenderedFile rules = planner.ruleset(h);
    Change c =
        p.plan().changes().stream()
            .filter(x -> x.kind() == Change.Kind.FIREWALL && x.host().equals(h.name()))
            .findFirst()
            .orElseThrow();
    // Unchanged and loaded, as the plan found it: nothing to write (on a server, a round trip).
    if (c.changes()) {
      driver.writeFile(h.name(), rules.path(), rules.content(), rules.mode(), null);
      say.accept("  " + h.name() + "/firewall: loading " + rules.path().getFileName());
      ExecResult r =
          driver.exec(
              h.name(),
              List.of("nft", "-f", rules.path().toString()),
              null,
              Duration.ofSeconds(20));
      if (!r.ok()) {
        throw WebinfraException.unexpectedState(
            "host " + h.name() + ": nft -f failed: " + r.describe());
      }
    }
  }

  /**
   * The host's resolver, and for a client the lab CA in its system trust store: read together and
   * written together (on a server, a round trip each).
   */
  private void systemFiles(Host h) {
    Map<String, String> files = new LinkedHashMap<>();
    for (RenderedFile f : ResolvRenderer.render(t, h, driver.paths(h.name()))) {
      files.put(f.path().getFileName().toString(), f.content());
    }
    if (h.has(Role.CLIENT) && t.tls().enabled()) {
      String bundle = "ssl/certs/ca-certificates.crt";
      // The overlay replaces all of /etc/ssl, so OpenSSL's own config must come along.
      String cnf = "ssl/openssl.cnf";
      Map<String, Optional<String>> base =
          driver.readBaseSystemFiles(h.name(), List.of(bundle, cnf));
      files.put(bundle, certificates.clientTrustBundle(base.get(bundle).orElse(null)));
      base.get(cnf).ifPresent(c -> files.put(cnf, c));
    }
    driver.writeSystemFiles(h.name(), files);
  }

  void inParallel(List<Host> hosts, Consumer<Host> task) {
    InParallel.run(t.lab(), hosts, task);
  }
}
