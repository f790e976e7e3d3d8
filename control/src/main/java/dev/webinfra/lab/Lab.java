package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.AppArtifacts;
import dev.webinfra.apply.Planner;
import dev.webinfra.apply.Releases;
import dev.webinfra.apply.Supplies;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.deploy.AppDeploy;
import dev.webinfra.deploy.Build;
import dev.webinfra.deploy.Reloader;
import dev.webinfra.events.EventLog;
import dev.webinfra.events.Incidents;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteController;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.host.Wire;
import dev.webinfra.plan.Change;
import dev.webinfra.plan.Plan;
import dev.webinfra.plan.Units;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Scale;
import dev.webinfra.site.Secrets;
import dev.webinfra.site.SiteContext;
import dev.webinfra.status.LabDashboard;
import dev.webinfra.status.LabStatus;
import dev.webinfra.status.LabStatusReader;
import dev.webinfra.status.PrometheusApi;
import dev.webinfra.tls.HostCertificates;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Tls;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One lab on this machine: plans and applies its topology, stops and starts its hosts, reports its
 * state, and takes it down. Each step is printed as it happens.
 */
public final class Lab {
  private final Topology topology;
  private final SiteLayout layout;
  private final HostDriver driver;
  private final SiteFabric fabric;
  private final PrintWriter out;
  private final Poll poll;
  private final Supervisor runner;
  private final Topology file;
  private final SiteContext site;

  /**
   * A lab for {@code topology}, as changed by what happened to it since (a promotion), laid out as
   * {@code layout}; its driver, fabric and supervisor are the ones {@link LabDrivers} picks.
   */
  public Lab(Topology topology, SiteLayout layout, PrintWriter out, Poll poll) {
    this(topology, layout, out, poll, running -> LabDrivers.LAB.parts(layout, poll));
  }

  /**
   * What a site's driver makes for it: the driver that reaches its hosts, their fabric and
   * supervisor (each given the site's printer) and its controller.
   */
  record Parts(
      HostDriver driver,
      Function<Consumer<String>, SiteFabric> fabric,
      Function<Consumer<String>, Supervisor> supervisor,
      Supplier<SiteController> controller) {}

  private final Supplier<SiteController> controller;
  private final Function<Topology, Parts> partsFor;

  /**
   * A lab whose driver's parts {@code partsFor} makes for the topology it runs now (the file's,
   * scaled and promoted as its state says).
   */
  Lab(
      Topology topology,
      SiteLayout layout,
      PrintWriter out,
      Poll poll,
      Function<Topology, Parts> partsFor) {
    this.layout = layout;
    this.file = topology;
    this.topology = new LabState(layout).effective(topology);
    this.partsFor = partsFor;
    Parts parts = partsFor.apply(this.topology);
    this.driver = parts.driver();
    this.fabric = parts.fabric().apply(line -> say("  " + line));
    this.out = out;
    this.poll = poll;
    this.runner = parts.supervisor().apply(this::say);
    this.controller = parts.controller();
    this.site = new SiteContext(this.topology, layout, driver, runner, poll, this::say);
  }

  /** The topology as the lab runs it. */
  public Topology topology() {
    return topology;
  }

  /** The lab's host driver. */
  public HostDriver driver() {
    return driver;
  }

  /** The lab's supervisor: it runs every daemon of the lab. */
  public Supervisor runner() {
    return runner;
  }

  /** The lab's controller, which the verbs that change daemons pause. */
  public SiteController controller() {
    return controller.get();
  }

  /** Where the lab keeps its state on this machine. */
  public SiteLayout layout() {
    return layout;
  }

  // What the lab's hosts stand on; its steps are printed indented, under the lab's own lines.
  /**
   * How webinfra's own code runs on host {@code host}, installed there first if need be: how {@code
   * load}'s visitors and chaos's latency proxy run there.
   */
  public SiteFabric.Java java(String host) {
    return fabric.java(topology, host);
  }

  SiteFabric fabric() {
    return fabric;
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private HostCertificates certificates() {
    return new HostCertificates(topology, layout.caDir(), poll.clock());
  }

  private Planner planner(Supplies supplies) {
    return new Planner(topology, driver, runner, supplies, changes(wiring()));
  }

  private Supplier<List<Wire>> wiring() {
    return () -> fabric.wiring(topology);
  }

  /** The lab's wiring as the plan's changes: each network or host, created when it is missing. */
  static Supplier<List<Change>> changes(Supplier<List<Wire>> wiring) {
    return () -> wiring.get().stream().map(Lab::wire).toList();
  }

  // The network or host the lab needs, created when it is missing.
  private static Change wire(Wire w) {
    return new Change(
        w.kind() == Wire.Kind.NETWORK ? Change.Kind.NETWORK : Change.Kind.HOST,
        w.name(),
        null,
        w.present() ? Change.Action.KEEP : Change.Action.CREATE,
        w.present() ? List.of() : List.of(w.missing()));
  }

  private Supplies supplies(Path appJar) {
    return supplies(topology, layout, driver, poll.clock(), appJar);
  }

  // The jar deploy put on the servers, if any, stands for the build: up must not undo a deploy.
  private static Supplies supplies(
      Topology t, SiteLayout layout, HostDriver driver, Clock clock, Path appJar) {
    Path jar = new LabState(layout).deployedJar().orElse(appJar);
    return new Supplies(
        driver,
        new Secrets(layout.secretsDir()),
        new HostCertificates(t, layout.caDir(), clock),
        jar,
        AppArtifacts.named(t).map(a -> Releases.of(layout).forUp(a)));
  }

  /** What {@code up} would do now, changing nothing. */
  public Plan plan(Path appJar) {
    return plan(topology, layout, driver, runner, wiring(), poll.clock(), appJar);
  }

  /**
   * What {@code up} would do now to the hosts {@code driver} reaches, given the lab's wiring: it
   * reads and decides, and writes nothing, on the hosts or in the lab's state on this machine.
   */
  static Plan plan(
      Topology t,
      SiteLayout layout,
      HostDriver driver,
      Supervisor runner,
      Supplier<List<Wire>> wiring,
      Clock clock,
      Path appJar) {
    Build.requireJar(appJar);
    return new Planner(
            t, driver, runner, supplies(t, layout, driver, clock, appJar), changes(wiring))
        .plan(Set.of())
        .plan();
  }

  /** Brings the lab up, or converges it when it is already (partly) up. */
  public void up(Path appJar, String topologyText, Path topologyDir) {
    Instant start = poll.clock().instant();
    Build.requireJar(appJar);
    // Written first, so that down finds the lab even if this run is killed halfway. Servers are
    // named by their topology on every verb: no site of them is "the current lab".
    if (!topology.onServers()) {
      Labs.setCurrent(topology.lab());
    }
    writeTopologyCopy(topologyText, topologyDir);
    new LabState(layout).clearStopped();
    List<Host> scaled = Scale.added(file, topology);
    if (!scaled.isEmpty()) {
      say(
          "lab "
              + topology.lab()
              + ": scaled to web="
              + Scale.webCount(topology)
              + " by webinfra scale; kept: "
              + String.join(", ", scaled.stream().map(Host::name).toList()));
    }
    converge(appJar, Set.of());
    waitForSite(Duration.ofSeconds(60));
    Duration took = Duration.between(start, poll.clock().instant());
    new UpSummary(topology, layout, this::say).print(siteUrl(), took);
  }

  /** The same lab opened again, as its state says it runs now (after scale recorded a change). */
  Lab reopened() {
    return new Lab(file, layout, out, poll, partsFor);
  }

  /** The topology as its file says, before scaling and promotions. */
  Topology file() {
    return file;
  }

  /** The lab's printer. */
  void sayLine(String line) {
    say(line);
  }

  /** The lab's clock and waits. */
  Poll poll() {
    return poll;
  }

  /** Adds or removes web servers live; see {@link Scaler}. */
  public void scale(int webs, Path appJar) {
    Build.requireJar(appJar);
    new Scaler(this, appJar).scale(webs);
  }

  /** Converges the lab around its stopped hosts and waits for the site, as start does. */
  void convergeRunning(Path appJar) {
    LabState state = new LabState(layout);
    Set<String> stopped = new HashSet<>();
    topology.hosts().stream()
        .filter(h -> state.isStopped(h.name()))
        .forEach(h -> stopped.add(h.name()));
    converge(appJar, stopped);
    waitForSite(Duration.ofSeconds(60));
  }

  // Hosts stopped on purpose stay down: only up (which clears the marks) or start revives them.
  private List<String> converge(Path appJar, Set<String> stopped) {
    return converge(appJar, stopped, Optional.empty());
  }

  // Returns what still waits (a Galera member for another, an app for its database), and keeps it
  // for status until the next converge.
  private List<String> converge(
      Path appJar, Set<String> stopped, Optional<String> forcedBootstrap) {
    say(
        "lab "
            + topology.lab()
            + ": "
            + topology.hosts().size()
            + " hosts on "
            + topology.networks().size()
            + " networks"
            + (stopped.isEmpty() ? "" : " (" + String.join(", ", stopped) + " stopped)"));
    Supplies supplies = supplies(appJar);
    Planner planner = planner(supplies);
    Planner.Planned decided = planner.plan(stopped);
    say(decided.plan().describe().stripTrailing());
    // A user's app release is kept on this machine first, so that a later deploy can roll back to
    // it.
    if (supplies.release().isPresent()) {
      supplies =
          supplies.withRelease(
              Releases.of(layout)
                  .record(supplies.release().get(), AppArtifacts.named(topology).orElseThrow()));
    }
    EventLog events = new EventLog(layout.eventLog(), poll.clock());
    Applier applier =
        new Applier(site, fabric, certificates())
            .galera(forcedBootstrap, m -> events.record("database", "GaleraBootstrap", m));
    applier.wire(stopped);
    // Planning only read: the supplied files are written now, and each daemon is started or
    // recorded with the fingerprint of what was written (the plan's own has "new" for a secret
    // or certificate not made yet).
    Planner.Planned planned =
        new Planner.Planned(
            decided.plan(), supplies.install(topology.lab(), decided.daemons(), stopped));
    new LabState(layout).setWaiting(List.of());
    applier.apply(planner, planned, stopped, Build.schemaSql(topology, appJar));
    new LabState(layout).setWaiting(applier.waits());
    return applier.waits();
  }

  /** The site's address as a visitor types it. */
  public String siteUrl() {
    return (topology.tls().enabled() ? "https://" : "http://") + topology.siteFqdns().get(0) + "/";
  }

  // The copy's paths (app.jar, app.dir) stay relative to the file it was made from: its directory
  // is kept beside it, and every later load of the copy resolves against it.
  private void writeTopologyCopy(String text, Path topologyDir) {
    try {
      Files.createDirectories(layout.labDir());
      Files.writeString(
          Labs.baseFile(layout),
          topologyDir.toAbsolutePath().normalize() + "\n",
          StandardCharsets.UTF_8);
      Files.writeString(layout.topologyCopy(), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab "
              + topology.lab()
              + ": cannot write "
              + layout.topologyCopy()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private void waitForSite(Duration timeout) {
    List<Host> clients = topology.hostsWith(Role.CLIENT);
    if (clients.isEmpty()) {
      return;
    }
    String url = siteUrl();
    String client = clients.get(0).name();
    say("lab " + topology.lab() + ": waiting for " + url + " from host " + client);
    ExecResult[] last = {null};
    poll.until(
        "lab " + topology.lab() + ": " + url + " answering 200 from host " + client,
        timeout,
        Duration.ofMillis(100),
        () -> {
          last[0] =
              driver.exec(
                  client,
                  List.of(
                      "curl",
                      "-s",
                      "-o",
                      "/dev/null",
                      "-w",
                      "%{http_code}",
                      "--max-time",
                      "2",
                      url),
                  null,
                  Duration.ofSeconds(5));
          return last[0].stdout().strip().equals("200");
        },
        () ->
            "last: "
                + (last[0] == null
                    ? "none"
                    : "HTTP " + last[0].stdout().strip() + ", " + last[0].describe())
                + "; see ./webinfra status and ./webinfra logs");
  }

  /** Reloads the daemons of {@code hosts} (all when empty) hitlessly; see {@link Reloader}. */
  public void reload(List<String> hosts, Path appJar) {
    Build.requireJar(appJar);
    LabState state = new LabState(layout);
    Set<String> stopped = new HashSet<>();
    topology.hosts().stream()
        .filter(h -> state.isStopped(h.name()))
        .forEach(h -> stopped.add(h.name()));
    Supplies supplies = supplies(appJar);
    int n = new Reloader(site, planner(supplies), supplies).reload(hosts, stopped);
    say("lab " + topology.lab() + ": " + n + " daemons reloaded");
  }

  /**
   * Rolls {@code artifact} (null: the current build, or the codebase or jar the topology names)
   * onto the app servers one at a time, or with {@code rollback} the release before; see {@link
   * AppDeploy}.
   */
  public void deploy(Path artifact, Path build, java.time.Duration healthy, boolean rollback) {
    new AppDeploy(site, certificates()).deploy(artifact, build, healthy, rollback);
  }

  /** Cuts a host like a power loss: every process killed at once, every link down. */
  public void stopHost(String name) {
    Host h = host(name);
    if (!layout.namespaceExists(name)) {
      throw WebinfraException.unexpectedState(
          "host " + name + ": lab " + topology.lab() + " has no namespace for it; is it up?");
    }
    // Recorded first, so the controller does not bring the host's daemons back (nor take the cut
    // for a failure, where it runs on a server: it is told there).
    new LabState(layout).setStopped(name, true);
    controller().hostStopped(name, true);
    // A power cut also forgets the addresses daemons added. The floating IP goes while keepalived
    // is frozen, before the kill: killed first on a busy machine, a load balancer's keepalived was
    // gone seconds before its links, and the peer, free to take the IP, held it beside the downed
    // host's still-up link; left on the downed link, it came back up with it on start, beside the
    // current holder (about 2 s) until keepalived started and saw its peer.
    int killed;
    try {
      killed =
          driver.cutPower(
              name,
              h.attachments().stream().map(Attachment::network).toList(),
              () ->
                  topology
                      .vip()
                      .filter(v -> h.has(dev.webinfra.topology.Role.LB))
                      .ifPresent(
                          v ->
                              driver.removeAddress(
                                  name,
                                  v.address()
                                      + "/"
                                      + topology.network(v.network()).orElseThrow().cidr().prefix(),
                                  v.network())));
    } catch (RuntimeException e) {
      // Not cut: the host runs on, and the controller and start treat it as running.
      new LabState(layout).setStopped(name, false);
      controller().hostStopped(name, false);
      throw e;
    }
    say("host " + name + ": stopped (" + killed + " processes killed, links down)");
  }

  /**
   * {@code db bootstrap HOST [--force]}: starts the Galera cluster again after every member died.
   * Without force, only the most advanced member bootstraps (as {@code start} does); with it,
   * {@code member} does, after a warning of what that may lose.
   */
  public void bootstrapGalera(String member, boolean force, Path appJar) {
    if (topology.database().kind() != dev.webinfra.topology.Database.Kind.GALERA
        || !topology.database().members().contains(member)) {
      throw WebinfraException.invalidInput(
          "db bootstrap: host "
              + member
              + " is no Galera member of lab "
              + topology.lab()
              + "; members: "
              + topology.database().members());
    }
    LabState state = new LabState(layout);
    if (state.isStopped(member)) {
      throw WebinfraException.unexpectedState(
          "db bootstrap: host "
              + member
              + " is stopped; start it first (webinfra start "
              + member
              + ")");
    }
    Set<String> stopped = new HashSet<>();
    topology.hosts().stream()
        .filter(h -> state.isStopped(h.name()))
        .forEach(h -> stopped.add(h.name()));
    converge(appJar, stopped, force ? Optional.of(member) : Optional.empty());
  }

  /** Brings a stopped host back: links up, then the whole lab converges around it. */
  public void startHost(String name, Path appJar) {
    host(name);
    say("host " + name + ": starting");
    LabState state = new LabState(layout);
    state.setStopped(name, false);
    fabric.powerOn(topology, name);
    Set<String> stopped = new HashSet<>();
    topology.hosts().stream()
        .filter(h -> state.isStopped(h.name()))
        .forEach(h -> stopped.add(h.name()));
    List<String> waits = converge(appJar, stopped);
    if (waits.isEmpty()) {
      say("host " + name + ": started");
    } else {
      say("host " + name + ": started; still waiting:");
      waits.forEach(w -> say("  " + w));
    }
  }

  /**
   * Waits until every daemon of host {@code name} answers its readiness probe, at most {@code
   * within}: start returns while a joining Galera member and what needs it still start.
   */
  public void awaitReady(String name, Duration within) {
    Host h = host(name);
    List<DaemonSpec> specs =
        Units.on(topology, h).stream().map(u -> u.spec(topology, h, driver.paths(name))).toList();
    say("host " + name + ": waiting until its daemons are ready");
    poll.until(
        "host " + name + ": every daemon ready",
        within,
        Duration.ofMillis(250),
        () -> specs.stream().allMatch(s -> runner.probe(s).ok()),
        () ->
            "not ready: "
                + String.join(
                    ", ",
                    specs.stream()
                        .filter(s -> !runner.probe(s).ok())
                        .map(DaemonSpec::id)
                        .toList()));
    say("host " + name + ": ready");
  }

  private Host host(String name) {
    return topology
        .host(name)
        .orElseThrow(
            () ->
                WebinfraException.invalidInput("host " + name + ": not in lab " + topology.lab()));
  }

  /** The lab's dashboard, not yet serving: the controller starts it. */
  public LabDashboard dashboard() {
    return new LabDashboard(
        topology, layout, this::status, new PrometheusApi(topology, driver), poll.clock());
  }

  // Alertmanager runs on the monitoring hosts: without one, there are no incidents to tell.
  private List<LabStatus.Incident> incidents() {
    if (topology.hostsWith(Role.MONITOR).isEmpty()) {
      return null;
    }
    Instant now = poll.clock().instant();
    Incidents.View v = Incidents.of(new EventLog(layout.eventLog(), poll.clock()).read(), now);
    return java.util.stream.Stream.concat(v.open().stream(), v.resolved().stream())
        .map(
            i ->
                new LabStatus.Incident(
                    i.title(),
                    i.host(),
                    i.kind(),
                    i.alerts(),
                    i.since().toString(),
                    i.resolved() == null ? null : i.resolved().toString()))
        .toList();
  }

  /** The state of every host and component, the floating IP and the database. */
  public LabStatus status() {
    return new LabStatusReader(
            topology,
            driver,
            runner,
            siteUrl(),
            new LabState(layout).lastFailover(),
            LabDashboard.url(layout))
        .waiting(new LabState(layout).waiting())
        .incidents(incidents())
        .read();
  }

  /**
   * Takes the site down through its own fabric (a site of servers: what webinfra installed on them)
   * and checks that nothing of it is left.
   */
  public void downSite() {
    say("site " + topology.lab() + ": taking down");
    try {
      // Its controller first: it would take the daemons going for failures.
      controller().stop();
    } catch (WebinfraException e) {
      say("site " + topology.lab() + ": its controller not stopped first: " + e.getMessage());
    }
    fabric.down();
    List<String> left = fabric.leftovers();
    if (!left.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "site " + topology.lab() + ": still there after down: " + String.join(", ", left));
    }
    say(
        "site "
            + topology.lab()
            + ": down; checked on every host: no webinfra unit, file, user or firewall table is"
            + " left (packages stay)");
  }

  /** Takes the lab down and returns once nothing of it is left on the machine. */
  public static void down(String lab, PrintWriter out) {
    SiteLayout layout = LabDrivers.LAB.layout(lab);
    out.println("lab " + lab + ": taking down");
    out.flush();
    SiteFabric fabric =
        LabDrivers.LAB.fabric(
            layout,
            Poll.system(),
            line -> {
              out.println("  " + line);
              out.flush();
            });
    fabric.down();
    Labs.forget(lab);
    List<String> left = fabric.leftovers();
    if (!left.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "lab " + lab + ": still on the machine after down: " + String.join(", ", left));
    }
    out.println(
        "lab " + lab + ": down; checked: no process, namespace, link, mount or file is left");
    out.flush();
  }

  /** Whether the lab's CA is made by webinfra (mode lab), for the summary. */
  static boolean labCa(Topology t) {
    return t.tls().enabled() && t.tls().mode() == Tls.Mode.LAB;
  }
}
