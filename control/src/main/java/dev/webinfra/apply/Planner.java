package dev.webinfra.apply;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Change;
import dev.webinfra.plan.Decide;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Plan;
import dev.webinfra.plan.Units;
import dev.webinfra.render.nftables.NftablesRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Computes what {@code up} will do: compares every network, host, firewall and daemon the topology
 * wants with what runs, and gives each change its reason. It reads and decides only: the supplied
 * files (secrets, certificates, the build) are installed when the plan is applied ({@link
 * Supplies#install(List, Set)}), so a dry run writes nothing, here or on a host.
 */
public final class Planner {
  /** A plan with the desired daemons it was computed from, which the applier acts on. */
  public record Planned(Plan plan, List<Desired> daemons) {}

  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final Supplies supplies;
  private final Supplier<List<Change>> wiring;

  /**
   * A planner that reads the hosts through {@code driver}, and from {@code wiring} the networks and
   * hosts the driver has made or has yet to make.
   */
  public Planner(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      Supplies supplies,
      Supplier<List<Change>> wiring) {
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.supplies = supplies;
    this.wiring = wiring;
  }

  /** The plan; {@code stopped} hosts are left alone. */
  public Planned plan(Set<String> stopped) {
    List<Change> changes = new ArrayList<>(wiring.get());
    List<Desired> daemons = new ArrayList<>();
    // Asking each host's nftables is a command in its namespace: all hosts at once (one by one
    // they took a second or more of every start on a busy machine).
    List<Host> walled = t.hosts().stream().filter(h -> h.settings().firewall().enabled()).toList();
    Map<String, Change> firewalls = new java.util.concurrent.ConcurrentHashMap<>();
    InParallel.run(
        t.lab(), walled, h -> firewalls.put(h.name(), firewall(h, stopped.contains(h.name()))));
    walled.forEach(h -> changes.add(firewalls.get(h.name())));
    // Each daemon in the order of the units, then of the hosts; each host's read at once, as
    // asking a server over SSH whether each of its daemons runs, and with what, took seconds one
    // daemon after another.
    List<DaemonUnit> units = new ArrayList<>();
    List<Host> on = new ArrayList<>();
    for (DaemonUnit u : Units.ALL) {
      for (Host h : t.hosts()) {
        if (u.runsOn(t, h)) {
          units.add(u);
          on.add(h);
        }
      }
    }
    Desired[] desired = new Desired[units.size()];
    Change[] decided = new Change[units.size()];
    InParallel.run(
        t.lab(),
        t.hosts(),
        h -> {
          boolean down = stopped.contains(h.name());
          List<Integer> mine = new ArrayList<>();
          List<DaemonSpec> specs = new ArrayList<>();
          for (int i = 0; i < units.size(); i++) {
            if (on.get(i).equals(h)) {
              mine.add(i);
              specs.add(units.get(i).spec(t, h, driver.paths(h.name())));
            }
          }
          List<Supervisor.Observed> seen = runner.observe(specs);
          List<Map<java.nio.file.Path, String>> supplied =
              down ? List.of() : supplies.digests(h, specs);
          for (int k = 0; k < mine.size(); k++) {
            int i = mine.get(k);
            DaemonSpec spec = specs.get(k);
            Map<java.nio.file.Path, String> digests = down ? Map.of() : supplied.get(k);
            Fingerprint fp = Fingerprint.of(spec, digests);
            desired[i] = new Desired(h, units.get(i), spec, fp);
            decided[i] =
                Decide.daemon(
                    h.name(),
                    units.get(i).name(),
                    down,
                    seen.get(k).running(),
                    seen.get(k).recorded(),
                    fp,
                    spec.reload().kind());
          }
        });
    daemons.addAll(List.of(desired));
    changes.addAll(List.of(decided));
    return new Planned(new Plan(t.lab(), changes), daemons);
  }

  /** The host's firewall ruleset as rendered. */
  public RenderedFile ruleset(Host h) {
    HostPaths p = driver.paths(h.name());
    return NftablesRenderer.render(t, h, p, Flows.inboundRules(t, h)).get(0);
  }

  /**
   * The command that asks a host whether webinfra's nftables table is loaded (exit 3 if not) and
   * prints its ruleset {@code file} (exit 4 if it cannot): the one command planning runs on a host
   * beside the supervisor's and the supplies' reads.
   */
  public static List<String> firewallQuery(java.nio.file.Path file) {
    return List.of(
        "sh",
        "-c",
        "nft list table inet webinfra >/dev/null 2>&1 || exit 3; cat -- \"$1\" || exit 4",
        "firewall",
        file.toString());
  }

  private Change firewall(Host h, boolean stopped) {
    RenderedFile rules = ruleset(h);
    boolean loaded = false;
    boolean same = false;
    if (!stopped && driver.isUp(h.name())) {
      // One command for both questions: on a server each is a round trip.
      ExecResult r =
          driver.exec(h.name(), firewallQuery(rules.path()), null, Duration.ofSeconds(10));
      loaded = r.ok() || r.exitCode() == 4;
      same = r.ok() && r.stdout().equals(rules.content());
    }
    Change.Action a;
    List<String> why;
    if (stopped) {
      a = Change.Action.KEEP;
      why = List.of("host " + h.name() + " is stopped");
    } else if (!loaded) {
      a = Change.Action.CREATE;
      why = List.of("ruleset not loaded");
    } else if (!same) {
      a = Change.Action.RELOAD;
      why = List.of(rules.path().getFileName() + " changed");
    } else {
      a = Change.Action.KEEP;
      why = List.of();
    }
    return new Change(Change.Kind.FIREWALL, h.name(), null, a, why);
  }
}
