package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.DriverFactory;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteController;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.host.lab.LabController;
import dev.webinfra.host.lab.LabFabric;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.host.lab.LabSupervisor;
import dev.webinfra.host.ssh.ServerLayout;
import dev.webinfra.host.ssh.ServerWiring;
import dev.webinfra.host.ssh.SshHostDriver;
import dev.webinfra.host.ssh.SshTransport;
import dev.webinfra.host.ssh.SystemdSupervisor;
import dev.webinfra.plan.MachineFlows;
import dev.webinfra.plan.Plan;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The one place that picks the host driver: today every site is a lab on this machine, reached by
 * the lab driver ({@code host/lab/}). Verbs, the controller and the lab's own services take
 * layouts, drivers, supervisors, fabrics, controllers and labs from here, and this is the only
 * class outside {@code host/lab/} that names it, so a second driver is chosen here and nowhere
 * else.
 */
public final class LabDrivers implements DriverFactory {
  /** The lab's driver factory. */
  public static final LabDrivers LAB = new LabDrivers();

  private LabDrivers() {}

  @Override
  public Path stateRoot() {
    return LabLayout.STATE_ROOT;
  }

  @Override
  public SiteLayout layout(String site) {
    return LabLayout.of(site);
  }

  @Override
  public HostDriver driver(SiteLayout layout, Poll poll) {
    return new LabHostDriver(lab(layout), poll);
  }

  /** The driver of an interactive command, which waits on nothing. */
  public HostDriver driver(SiteLayout layout) {
    return new LabHostDriver(lab(layout));
  }

  /**
   * The supervisor of the daemons on the hosts that {@code driver}, one of this factory's, reaches;
   * progress lines go to {@code say}.
   */
  public Supervisor supervisor(HostDriver driver, Poll poll, Consumer<String> say) {
    if (driver instanceof LabHostDriver d) {
      return new LabSupervisor(d, poll, say);
    }
    throw WebinfraException.unexpectedState(
        "the lab's supervisor needs the lab's driver, got " + driver.getClass());
  }

  @Override
  public SiteFabric fabric(SiteLayout layout, Poll poll, Consumer<String> progress) {
    return new LabFabric(lab(layout), poll, progress, MachineFlows::required);
  }

  @Override
  public SiteController controller(SiteLayout layout, Poll poll) {
    return new LabController(lab(layout), poll);
  }

  /** The lab that brings up, converges and reports {@code topology} laid out as {@code layout}. */
  public Lab lab(Topology topology, SiteLayout layout, PrintWriter out, Poll poll) {
    requireLabHosts(topology);
    return new Lab(topology, layout, out, poll);
  }

  /**
   * What {@code up} would do on servers reached over SSH ({@code host.ssh}, systemd their
   * supervisor): it reads each server and writes nothing, on them or on this machine. {@code
   * acceptNewHostKeys} lets a server whose key known_hosts lacks in, adding its key.
   */
  public static Plan planOnServers(Topology t, Path appJar, boolean acceptNewHostKeys) {
    try (SshTransport ssh = new SshTransport(acceptNewHostKeys)) {
      SshHostDriver driver = new SshHostDriver(t, ssh);
      return Lab.plan(
          t,
          new ServerLayout(t.lab()),
          driver,
          new SystemdSupervisor(driver, Poll.system(), line -> {}),
          () -> ServerWiring.of(t, driver),
          java.time.Clock.systemUTC(),
          appJar);
    }
  }

  /**
   * Refuses a topology of servers reached over SSH where only lab hosts can be brought up: servers
   * are planned ({@link #planOnServers}), not yet changed. {@code check} and {@code diagram} read
   * such a file all the same.
   */
  public static void requireLabHosts(Topology t) {
    t.hosts().stream()
        .filter(h -> h.ssh().isPresent())
        .findFirst()
        .ifPresent(
            h -> {
              throw WebinfraException.invalidInput(
                  "topology "
                      + t.source()
                      + ": its hosts are servers reached over SSH (host "
                      + h.name()
                      + ": "
                      + h.ssh().get().target()
                      + "), and webinfra brings up lab hosts only so far; up --dry-run shows"
                      + " what it would do on them, check and diagram read it");
            });
  }

  // Every layout this factory hands out is a lab's; another is a driver mixed up, not an input.
  static LabLayout lab(SiteLayout layout) {
    if (layout instanceof LabLayout l) {
      return l;
    }
    throw WebinfraException.unexpectedState(
        "site " + layout.lab() + ": the lab driver needs a lab's layout, got " + layout.getClass());
  }
}
