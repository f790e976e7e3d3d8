package dev.webinfra.deploy;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.Desired;
import dev.webinfra.apply.Planner;
import dev.webinfra.apply.Supplies;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.HostDriver;
import dev.webinfra.plan.Change;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.site.SiteContext;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code reload}: hands every daemon that can reload (HAProxy, nginx, keepalived) its current files
 * without a restart, whether or not they changed. A change that would need a restart is refused
 * before anything is touched, so a reload never costs a request.
 */
public final class Reloader {
  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final Planner planner;
  private final Supplies supplies;
  private final Consumer<String> say;

  /** A reloader of {@code site}'s daemons, deciding with {@code planner}. */
  public Reloader(SiteContext site, Planner planner, Supplies supplies) {
    this.t = site.topology();
    this.driver = site.driver();
    this.runner = site.runner();
    this.planner = planner;
    this.supplies = supplies;
    this.say = site.say();
  }

  /** Reloads the daemons of {@code hosts} (every host when empty); returns how many reloaded. */
  public int reload(List<String> hosts, Set<String> stopped) {
    for (String h : hosts) {
      if (t.host(h).isEmpty()) {
        throw WebinfraException.invalidInput("host " + h + ": not in lab " + t.lab());
      }
    }
    // Nothing is installed yet: a new jar must not land under a running app that reload leaves.
    Planner.Planned p = planner.plan(stopped);
    List<Desired> todo = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (Desired d : p.daemons()) {
      String host = d.host().name();
      if ((!hosts.isEmpty() && !hosts.contains(host)) || stopped.contains(host)) {
        continue;
      }
      Change c = p.plan().daemon(host, d.unit().name()).orElseThrow();
      boolean canReload = d.spec().reload().kind() != Reload.Kind.RESTART;
      if (!canReload) {
        if (c.changes()) {
          left.add(c.describe());
        }
      } else if (c.action() == Change.Action.KEEP && d.unit().name().equals(KeepalivedUnit.NAME)) {
        // A keepalived reload pauses its adverts; on a loaded machine the peer can take that for a
        // dead master (50 ms adverts), and the floating IP would move for nothing. Unchanged, it
        // already runs its config.
        say.accept("  " + d.spec().id() + ": unchanged, not reloaded (the floating IP stays put)");
      } else if (c.action() == Change.Action.KEEP || c.action() == Change.Action.RELOAD) {
        todo.add(d);
      } else {
        refused.add(c.describe());
      }
    }
    if (!refused.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "lab "
              + t.lab()
              + ": reload applies only what daemons take without a restart; these need"
              + " webinfra up (or deploy, for the app):\n  "
              + String.join("\n  ", refused));
    }
    for (Desired d : todo) {
      DaemonSpec s = d.spec();
      String instance =
          runner
              .instance(s)
              .orElseThrow(() -> WebinfraException.unexpectedState(s.id() + ": not running"));
      write(s);
      Fingerprint fp = Fingerprint.of(s, supplies.install(d.host(), s));
      say.accept("  " + s.id() + ": reloading (" + instance + ")");
      runner.reload(s, fp);
      if (!runner.probe(s).ok()) {
        throw WebinfraException.unexpectedState(
            s.id() + ": not ready after its reload\n" + runner.logTail(s));
      }
    }
    return todo.size();
  }

  private void write(DaemonSpec s) {
    RenderedFile.writeChanged(driver, s.host(), s.files());
  }
}
