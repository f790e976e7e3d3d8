package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.DriverFactory;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.SiteController;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.host.lab.LabController;
import dev.webinfra.host.lab.LabFabric;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.host.lab.LabSupervisor;
import dev.webinfra.host.ssh.ServerController;
import dev.webinfra.host.ssh.ServerFabric;
import dev.webinfra.host.ssh.ServerLayout;
import dev.webinfra.host.ssh.ServerRuntime;
import dev.webinfra.host.ssh.ServerWiring;
import dev.webinfra.host.ssh.ShippedJava;
import dev.webinfra.host.ssh.SshHostDriver;
import dev.webinfra.host.ssh.SshTransport;
import dev.webinfra.host.ssh.SystemdSupervisor;
import dev.webinfra.plan.MachineFlows;
import dev.webinfra.plan.Plan;
import dev.webinfra.plan.Units;
import dev.webinfra.testbed.Testbed;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one place that picks the host driver: a lab on this machine is reached by the lab driver
 * ({@code host/lab/}), a site of servers by the SSH driver ({@code host/ssh/}, {@link #servers}).
 * Verbs, the controller and the lab's own services take layouts, drivers, supervisors, fabrics,
 * controllers and labs from here, and this is the only class outside the drivers' packages that
 * names them.
 */
public final class LabDrivers implements DriverFactory {
  /** The lab's driver factory. */
  public static final LabDrivers LAB = new LabDrivers();

  private LabDrivers() {}

  /**
   * The Java runtime that {@code up} ships to servers, made now unless this machine has it cached
   * (or waited for, if another webinfra makes it); returns the directory that holds it.
   */
  public static Path serversRuntime(Consumer<String> progress) {
    return ServerRuntime.local(progress).tarball().getParent();
  }

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

  // The lab driver's parts of a lab laid out as {@code layout}.
  Lab.Parts parts(SiteLayout layout, Poll poll) {
    HostDriver d = driver(layout, poll);
    return new Lab.Parts(
        d,
        progress -> fabric(layout, poll, progress),
        say -> supervisor(d, poll, say),
        () -> controller(layout, poll));
  }

  /**
   * A site of servers reached over SSH, open until closed: its {@link Lab} brings {@code t} up on
   * them (systemd supervises each daemon, {@link ServerFabric} installs what they need) and takes
   * it down. {@code acceptNewHostKeys} lets a server whose key known_hosts lacks in.
   */
  public static ServerSite servers(
      Topology t, PrintWriter out, Poll poll, boolean acceptNewHostKeys, Path controlJar) {
    SshTransport ssh = new SshTransport(acceptNewHostKeys);
    // A test bed's machines can lose their power, as chaos and stop HOST want.
    SshHostDriver driver = new SshHostDriver(t, ssh, Testbed.powerSwitch(t));
    ServerLayout layout = new ServerLayout(t.lab());
    // The parts serve the site as it runs now: scaled onto its spares, as its state says.
    return new ServerSite(
        new Lab(
            t,
            layout,
            out,
            poll,
            running ->
                serverParts(
                    running,
                    driver,
                    layout,
                    poll,
                    controlJar,
                    () -> serverController(running, driver, layout, out, poll, controlJar))),
        ssh::close);
  }

  // The SSH driver's parts of a site of servers reached through driver.
  private static Lab.Parts serverParts(
      Topology t,
      SshHostDriver driver,
      ServerLayout layout,
      Poll poll,
      Path controlJar,
      java.util.function.Supplier<SiteController> controller) {
    HostPaths p = HostPaths.server();
    return new Lab.Parts(
        driver,
        progress ->
            new ServerFabric(
                t,
                driver,
                layout,
                progress,
                h -> Units.on(t, h).stream().map(u -> u.spec(t, h, p)).toList(),
                h -> serverPackages(t, h),
                new ShippedJava(driver, () -> ServerRuntime.local(progress), controlJar, progress)),
        say -> new SystemdSupervisor(driver, poll, say),
        controller);
  }

  // A site with a monitoring host runs its controller there; one without has none.
  private static SiteController serverController(
      Topology t,
      SshHostDriver driver,
      ServerLayout layout,
      PrintWriter out,
      Poll poll,
      Path controlJar) {
    Consumer<String> say =
        line -> {
          out.println(line);
          out.flush();
        };
    return ServerController.host(t)
        .<SiteController>map(
            mon -> {
              // The token that opens the dashboard the controller serves: made here, so that this
              // machine has it when the secrets go there.
              new dev.webinfra.site.Secrets(layout.secretsDir())
                  .password(dev.webinfra.status.LabDashboard.TOKEN_SECRET);
              return new ServerController(
                  t,
                  mon,
                  driver,
                  layout,
                  new SystemdSupervisor(driver, poll, say),
                  new ShippedJava(driver, () -> ServerRuntime.local(say), controlJar, say),
                  say);
            })
        .orElseGet(() -> new NoController(t.lab(), say));
  }

  /**
   * What the controller of site {@code site} needs where it runs, on its host {@code self}: the
   * site's topology and state there, and the SSH driver and systemd through which it reaches the
   * other servers with its own key.
   */
  public static ControllerParts onServer(String site, String self, PrintWriter out, Poll poll) {
    ServerLayout layout = new ServerLayout(site);
    if (!Files.isRegularFile(layout.topologyCopy())) {
      throw WebinfraException.invalidInput(
          "site "
              + site
              + ": no "
              + layout.topologyCopy()
              + " on this host; up sends it here before it starts the controller");
    }
    Topology t = Labs.topology(layout);
    Host host =
        t.host(self)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "site " + site + ": host " + self + " is not in its topology"));
    SshTransport ssh = new SshTransport(false, true);
    SshHostDriver driver = ServerController.driverFrom(t, host, ssh, layout);
    // The site as seen from here, for the dashboard: its status read through the controller's SSH.
    Lab seen =
        new Lab(
            t,
            layout,
            out,
            poll,
            running ->
                serverParts(
                    running, driver, layout, poll, null, () -> new NoController(site, line -> {})));
    return new ControllerParts(
        t,
        layout,
        driver,
        seen,
        d -> SystemdSupervisor.watching(d, poll, line -> {}),
        () -> {
          try {
            Files.writeString(
                ServerController.pidFile(layout), ProcessHandle.current().pid() + "\n");
          } catch (java.io.IOException e) {
            throw WebinfraException.unexpectedState(
                "site " + site + ": cannot write " + ServerController.pidFile(layout), e);
          }
        },
        ssh::close);
  }

  /**
   * What a controller on a server runs with: the site's topology, layout and driver there, the site
   * itself as seen from there (its status, for the dashboard), its supervisor, and how it tells
   * that it is ready. Closing it closes its SSH connections.
   */
  public record ControllerParts(
      Topology topology,
      SiteLayout layout,
      HostDriver driver,
      Lab site,
      java.util.function.Function<HostDriver, Supervisor> supervisor,
      Runnable registerSelf,
      Runnable onClose)
      implements AutoCloseable {
    @Override
    public void close() {
      onClose.run();
    }
  }

  /**
   * Brings the controller's entries of the event log of site {@code layout} (one of servers whose
   * controller runs on its monitoring host) to this machine; a lab's log is here already.
   */
  public static void refreshEvents(SiteLayout layout, PrintWriter out) {
    if (!(layout instanceof ServerLayout l)) {
      return;
    }
    Topology t = Labs.topology(l);
    try (SshTransport ssh = new SshTransport(false)) {
      if (serverController(t, new SshHostDriver(t, ssh), l, out, Poll.system(), null)
          instanceof ServerController c) {
        c.refreshEvents();
      }
    }
  }

  /**
   * The live dashboard of site {@code layout} (one of servers), which its controller serves on its
   * monitoring host's loopback, forwarded to this machine's loopback over the operator's SSH: open
   * until closed. The local port is the remote one when it is free here, else any free one.
   */
  public static ServerDashboard serverDashboard(SiteLayout site, PrintWriter out) {
    if (!(site instanceof ServerLayout layout)) {
      throw WebinfraException.invalidInput(
          site.title() + ": not a site of servers; its dashboard is on this machine already");
    }
    Topology t = Labs.topology(layout);
    SshTransport ssh = new SshTransport(false);
    try {
      if (!(serverController(t, new SshHostDriver(t, ssh), layout, out, Poll.system(), null)
          instanceof ServerController c)) {
        throw WebinfraException.invalidInput(
            "site "
                + t.lab()
                + ": no dashboard: it has no monitoring host, where its controller would serve it");
      }
      String remote =
          c.dashboardUrl()
              .orElseThrow(
                  () ->
                      WebinfraException.unexpectedState(
                          "site "
                              + t.lab()
                              + ": no dashboard is served: its controller on "
                              + c.host()
                              + " is not running (run webinfra up), or could not serve it (see"
                              + " webinfra exec --lab "
                              + t.lab()
                              + " "
                              + c.host()
                              + " -- journalctl -u webinfra-controller)"));
      String token =
          new dev.webinfra.site.Secrets(layout.secretsDir())
              .existing(dev.webinfra.status.LabDashboard.TOKEN_SECRET)
              .orElseThrow(
                  () ->
                      WebinfraException.unexpectedState(
                          "site " + t.lab() + ": its dashboard's token is not on this machine"));
      int remotePort = java.net.URI.create(remote).getPort();
      c.awaitDashboard(remotePort, Poll.system());
      int localPort = LocalPorts.freeOr(remotePort);
      Process forward = c.forward(localPort, remotePort);
      LocalPorts.awaitListening(localPort, forward, c.host(), Poll.system());
      java.util.concurrent.atomic.AtomicBoolean closed =
          new java.util.concurrent.atomic.AtomicBoolean();
      return new ServerDashboard(
          "https://127.0.0.1:" + localPort + "/?token=" + token,
          c.host(),
          forward,
          () -> {
            // Once, whether the command ends it or Ctrl-C does.
            if (closed.compareAndSet(false, true)) {
              forward.destroy();
              ssh.close();
            }
          });
    } catch (RuntimeException e) {
      ssh.close();
      throw e;
    }
  }

  /**
   * A site of servers' dashboard forwarded to this machine: the URL that opens it (with the token),
   * the host that serves it, and the ssh process that forwards it, ended on close.
   */
  public record ServerDashboard(String url, String host, Process forward, Runnable onClose)
      implements AutoCloseable {
    @Override
    public void close() {
      onClose.run();
    }
  }

  /**
   * The site of servers called {@code name} that {@code up} brought up from this machine, if there
   * is one: open for the rest of this process (its SSH connections close as the process ends).
   */
  public static Optional<Lab> serverSite(String name, PrintWriter out, Poll poll, Path controlJar) {
    Optional<ServerLayout> layout = serverLayout(name);
    if (layout.isEmpty()) {
      return Optional.empty();
    }
    ServerSite site = servers(Labs.topology(layout.get()), out, poll, false, controlJar);
    Runtime.getRuntime().addShutdownHook(new Thread(site::close, "webinfra-ssh-close"));
    return Optional.of(site.lab());
  }

  /**
   * Where the site called {@code named} keeps its state on this machine: the site of servers of
   * that name if {@code up} brought one up from here, else the lab ({@code named}, or the only lab
   * up).
   */
  public static SiteLayout siteLayout(String named) {
    Optional<ServerLayout> servers = named == null ? Optional.empty() : serverLayout(named);
    return servers.isPresent() ? servers.get() : LAB.layout(Labs.resolve(named));
  }

  // The layout of the site of servers called name, if up brought one up from this machine.
  private static Optional<ServerLayout> serverLayout(String name) {
    ServerLayout layout = new ServerLayout(name);
    return Files.isRegularFile(layout.topologyCopy()) ? Optional.of(layout) : Optional.empty();
  }

  /** An open site of servers: its lab, and the SSH connections it holds until closed. */
  public record ServerSite(Lab lab, Runnable onClose) implements AutoCloseable {
    @Override
    public void close() {
      onClose.run();
    }
  }

  /**
   * The Debian packages server {@code h} needs: its daemons', its app's, and the tools used on it.
   */
  static List<String> serverPackages(Topology t, Host h) {
    java.util.LinkedHashSet<String> all =
        new java.util.LinkedHashSet<>(
            List.of("iproute2", "netbase", "procps", "curl", "ca-certificates"));
    if (h.settings().firewall().enabled()) {
      all.add("nftables");
    }
    Units.on(t, h).forEach(u -> all.addAll(u.packages()));
    if (ServerController.host(t).filter(h::equals).isPresent()) {
      // The controller reaches the other servers with the ssh client.
      all.add("openssh-client");
    }
    if (h.has(Role.APP)) {
      all.addAll(h.settings().app().packages());
    }
    return List.copyOf(all);
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
   * Refuses a topology of servers reached over SSH where the lab's driver would act on it: servers
   * are reached through {@link #servers} ({@code up}, {@code down} and {@code --lab NAME}).
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
                      + "), and the lab's driver acts on lab hosts only; up TOPOLOGY, down"
                      + " TOPOLOGY and --lab NAME reach servers");
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
