package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.database.Sql;
import dev.webinfra.deploy.Deployer;
import dev.webinfra.deploy.HaproxyRuntime;
import dev.webinfra.events.EventLog;
import dev.webinfra.plan.Change;
import dev.webinfra.plan.Units;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Scale;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code scale web=N}: adds servers by recording the new count and converging the lab (new hosts
 * get their daemons, join the database as replicas, and enter both load balancers through a hitless
 * reload of their config); removes them by draining them on both load balancers, stopping their
 * daemons gracefully, taking them out of the database, converging the rest, and removing the hosts
 * (a lab host deleted; a server cleared of what webinfra installed). Only servers beyond the
 * topology file's come and go: its spares, then copies (see {@link Scale}).
 */
final class Scaler {
  private final Lab lab;
  private final Path appJar;
  private final EventLog events;

  Scaler(Lab lab, Path appJar) {
    this.lab = lab;
    this.appJar = appJar;
    this.events = new EventLog(lab.layout().eventLog(), lab.poll().clock());
  }

  void scale(int webs) {
    Topology now = lab.topology();
    Topology target = Scale.apply(lab.file(), webs);
    int current = Scale.webCount(now);
    LabState state = new LabState(lab.layout());
    if (webs == current) {
      lab.sayLine("lab " + now.lab() + ": already web=" + webs + "; nothing to do");
      return;
    }
    if (webs > current) {
      List<Host> added = Scale.added(now, target);
      requireOnlyScaleChanges(now, added);
      step("lab", "ScaleOut", "adding " + names(added));
      state.setScale(webs);
      lab.reopened().convergeRunning(appJar);
      step("lab", "ScaledOut", "web=" + webs + ": " + names(added) + " serving");
      return;
    }
    List<Host> removed = new ArrayList<>(Scale.added(target, now));
    Collections.reverse(removed);
    requireOnlyScaleChanges(now, removed);
    step("lab", "ScaleIn", "removing " + names(removed));
    List<HaproxyRuntime> lbs =
        now.hostsWith(Role.LB).stream()
            .map(h -> new HaproxyRuntime(lab.driver(), h.name()))
            .toList();
    for (Host h : removed) {
      String name = h.name();
      step(name, "ScaleDrain", "draining on " + lbs.size() + " load balancers");
      lbs.forEach(lb -> lb.state(name, "drain"));
      lab.poll()
          .within(
              Deployer.SESSIONS,
              Duration.ofMillis(100),
              () ->
                  lbs.stream()
                      .allMatch(lb -> lb.server(name).map(s -> s.sessions() == 0).orElse(true)));
      lbs.forEach(lb -> lb.state(name, "maint"));
      if (h.has(Role.DB)) {
        step(name, "ScaleLeaveDatabase", "replication stopped and reset");
        new Sql(lab.driver()).tryRun(name, "STOP SLAVE; RESET SLAVE ALL;");
      }
      List<DaemonUnit> units = new ArrayList<>(Units.on(now, h));
      Collections.reverse(units);
      for (DaemonUnit u : units) {
        DaemonSpec spec = u.spec(now, h, lab.driver().paths(name));
        lab.runner().stop(spec);
      }
      step(name, "ScaleStopped", "daemons stopped gracefully");
    }
    state.setScale(webs);
    // The rest converges without them: LBs reload without their servers, firewalls lose their
    // flows, the database keeps its members.
    Lab rest = lab.reopened();
    rest.convergeRunning(appJar);
    dropDatabaseAccounts(rest.topology(), removed);
    for (Host h : removed) {
      step(h.name(), "ScaleRemoved", lab.fabric().removeHost(now, h.name()));
    }
  }

  // Scale converges the lab: a restart pending for another reason (a new build of the app, say)
  // would hit every server at once. Such changes go first through deploy or up, on purpose.
  private void requireOnlyScaleChanges(Topology now, List<Host> scaled) {
    List<String> names = scaled.stream().map(Host::name).toList();
    List<String> pending =
        lab.plan(appJar).changes().stream()
            .filter(c -> c.kind() == Change.Kind.DAEMON && !names.contains(c.host()))
            .filter(
                c ->
                    c.action() == Change.Action.RESTART
                        || c.action() == Change.Action.CREATE
                        || c.action() == Change.Action.START)
            .map(Change::describe)
            .toList();
    if (!pending.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "lab "
              + now.lab()
              + ": scale would also apply pending changes that restart daemons; apply them first"
              + " without downtime (webinfra deploy for the app, else webinfra up):\n  "
              + String.join("\n  ", pending));
    }
  }

  // The accounts bootstrap made for the removed hosts' addresses, on a writable server.
  private void dropDatabaseAccounts(Topology rest, List<Host> removed) {
    var writer = rest.database().primary().or(() -> rest.database().members().stream().findFirst());
    if (writer.isEmpty()) {
      return;
    }
    StringBuilder sql = new StringBuilder();
    for (Host h : removed) {
      for (Attachment a : h.attachments()) {
        sql.append("DROP USER IF EXISTS 'webinfra_app'@'").append(a.address()).append("';\n");
        sql.append("DROP USER IF EXISTS 'repl'@'").append(a.address()).append("';\n");
      }
    }
    new Sql(lab.driver()).tryRun(writer.get(), sql.toString());
  }

  private void step(String host, String code, String message) {
    events.operator(host, code, message);
    lab.sayLine("  scale: " + (host.equals("lab") ? "" : host + ": ") + message);
  }

  private static String names(List<Host> hosts) {
    return String.join(", ", hosts.stream().map(Host::name).toList());
  }
}
