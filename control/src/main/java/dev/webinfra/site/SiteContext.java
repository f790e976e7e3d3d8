package dev.webinfra.site;

import dev.webinfra.daemon.Supervisor;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every service of one site is built from: the topology as the site runs it, where its local
 * state lives on this machine, the driver that reaches its hosts and the runner of their daemons,
 * the poll (and its clock) every wait uses, and where progress lines go. The driver factory's
 * caller makes one, and each service takes it instead of the same six arguments again.
 */
public record SiteContext(
    Topology topology,
    SiteLayout layout,
    HostDriver driver,
    Supervisor runner,
    Poll poll,
    Consumer<String> say) {
  public SiteContext {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(runner, "runner");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(say, "say");
  }

  /** The clock of the poll: the one time source of the site's services. */
  public Clock clock() {
    return poll.clock();
  }

  /** The site's secrets on this machine. */
  public Secrets secrets() {
    return new Secrets(layout.secretsDir());
  }

  /** What has changed in the site since its topology was written. */
  public LabState state() {
    return new LabState(layout);
  }

  /** The site's event log. */
  public EventLog events() {
    return new EventLog(layout.eventLog(), clock());
  }

  /** The same site with another topology (a scaled one, or the file's before its state). */
  public SiteContext withTopology(Topology t) {
    return new SiteContext(t, layout, driver, runner, poll, say);
  }
}
