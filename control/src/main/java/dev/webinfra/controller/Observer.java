package dev.webinfra.controller;

import dev.webinfra.daemon.DaemonRunner;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.host.HostDriver;
import dev.webinfra.lab.LabState;
import dev.webinfra.plan.Units;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at a lab through its host driver and writes down what it sees. Cheap checks (files, process
 * handles) run every tick; the costly ones (a host's links, who holds the floating IP) only when a
 * daemon is found dead.
 */
final class Observer {
  private final Topology t;
  private final HostDriver driver;
  private final DaemonRunner runner;
  private final LabState state;
  private final Clock clock;
  private final List<Host> hosts;
  // Specs are rendered once: the topology a controller watches does not change while it runs.
  private final java.util.Map<String, List<DaemonSpec>> specs = new java.util.LinkedHashMap<>();

  Observer(Topology t, HostDriver driver, DaemonRunner runner, LabState state, Clock clock) {
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
    for (Host h : hosts) {
      boolean stopped = state.isStopped(h.name());
      List<Observation.DaemonSeen> daemons = new ArrayList<>();
      boolean anyDead = false;
      if (!stopped) {
        for (DaemonSpec spec : specs.get(h.name())) {
          boolean started = runner.wasStarted(spec);
          boolean alive = started && runner.runningPid(spec).isPresent();
          boolean holdsVip =
              started
                  && !alive
                  && spec.name().equals(KeepalivedUnit.NAME)
                  && t.vip()
                      .map(v -> driver.addresses(h.name()).contains(v.address().toString()))
                      .orElse(false);
          anyDead |= started && !alive;
          daemons.add(new Observation.DaemonSeen(spec.name(), started, alive, holdsVip));
        }
      }
      boolean linksUp = !anyDead || driver.isUp(h.name());
      out.add(new Observation.HostSeen(h.name(), stopped, linksUp, daemons));
    }
    return new Observation(clock.instant(), out);
  }
}
