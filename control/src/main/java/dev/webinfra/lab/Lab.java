package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.controller.ControllerProcess;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.host.lab.LabCleaner;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabInventory;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.host.lab.LabNetwork;
import dev.webinfra.plan.Component;
import dev.webinfra.plan.Planner;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.app.AppRenderer;
import dev.webinfra.render.dnsmasq.DnsmasqRenderer;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.keepalived.KeepalivedRenderer;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.render.nftables.NftablesRenderer;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.tls.CertificateCheck;
import dev.webinfra.tls.IssuedCertificate;
import dev.webinfra.tls.LabCa;
import dev.webinfra.tls.Pem;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One lab on this machine: brings it up from its topology (converging whatever already exists),
 * stops and starts its hosts, reports its state, and takes it down. Each step is printed as it
 * happens.
 */
public final class Lab {
  private final Topology topology;
  private final LabLayout layout;
  private final LabHostDriver driver;
  private final PrintWriter out;
  private final Clock clock;
  private final DaemonRunner runner;

  /** A lab for {@code topology}, as changed by what happened to it since (a promotion). */
  public Lab(Topology topology, LabLayout layout, PrintWriter out, Clock clock) {
    this.layout = layout;
    this.topology = new LabState(layout).effective(topology);
    this.driver = new LabHostDriver(layout);
    this.out = out;
    this.clock = clock;
    this.runner = new DaemonRunner(driver, clock, this::say);
  }

  /** The topology as the lab runs it. */
  public Topology topology() {
    return topology;
  }

  /** The lab's host driver. */
  public LabHostDriver driver() {
    return driver;
  }

  /** The lab's daemon runner. */
  public DaemonRunner runner() {
    return runner;
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** Brings the lab up, or converges it when it is already (partly) up. */
  public void up(Path appJar, String topologyText) {
    Instant start = clock.instant();
    if (!Files.isRegularFile(appJar)) {
      throw WebinfraException.unexpectedState(
          "the app's jar " + appJar + " is missing; build it with ./mvnw -DskipTests package");
    }
    List<String> notYet = Planner.notRunYet(topology);
    if (!notYet.isEmpty()) {
      say(
          "lab "
              + topology.lab()
              + ": not run by the lab yet (the design check and the diagram still cover them):");
      notYet.forEach(n -> say("  " + n));
    }
    // Written first, so that down finds the lab even if this run is killed halfway.
    Labs.setCurrent(topology.lab());
    writeTopologyCopy(topologyText);
    ControllerProcess.stop(layout);
    new LabState(layout).clearStopped();
    converge(appJar);
    waitForSite(Duration.ofSeconds(60));
    ControllerProcess.ensureRunning(layout);
    Duration took = Duration.between(start, clock.instant());
    String site = topology.siteFqdns().get(0);
    say("");
    say(
        "lab "
            + topology.lab()
            + " is up in "
            + String.format("%.1f", took.toMillis() / 1000.0)
            + " s: "
            + siteUrl()
            + " -> "
            + topology.siteAddress());
    topology.hostsWith(Role.CLIENT).stream()
        .findFirst()
        .ifPresent(
            c ->
                say(
                    "  from the client host:  ./webinfra exec "
                        + c.name()
                        + " -- curl -s "
                        + siteUrl()));
    boolean tls = topology.tls().enabled();
    if (machineReachesSite()) {
      say(
          "  from this machine:     curl "
              + (tls ? "--cacert " + HaproxyRenderer.caFile(layout) + " " : "")
              + "--resolve "
              + site
              + ":"
              + (tls ? 443 : 80)
              + ":"
              + topology.siteAddress()
              + " "
              + siteUrl());
    }
    if (tls && topology.tls().mode() == dev.webinfra.topology.Tls.Mode.LAB) {
      say("  lab CA for a browser:  " + HaproxyRenderer.caFile(layout));
    }
    say(
        "  state:                 ./webinfra status    logs: ./webinfra logs HOST [COMPONENT]   "
            + " take down: ./webinfra down");
  }

  // Hosts stopped on purpose stay down: only up (which clears the marks) or their own start revives
  // them.
  private void converge(Path appJar) {
    LabState state = new LabState(layout);
    Set<String> stopped = new HashSet<>();
    topology.hosts().stream()
        .filter(h -> state.isStopped(h.name()))
        .forEach(h -> stopped.add(h.name()));
    say(
        "lab "
            + topology.lab()
            + ": wiring "
            + topology.hosts().size()
            + " hosts on "
            + topology.networks().size()
            + " networks"
            + (stopped.isEmpty() ? "" : " (" + String.join(", ", stopped) + " stopped)"));
    new LabNetwork(topology, layout, line -> say("  " + line)).ensure(stopped);
    topology.hosts().stream().filter(h -> !stopped.contains(h.name())).forEach(this::applyFirewall);
    Secrets secrets = new Secrets(layout.secretsDir());
    String schema = schemaSql(appJar);
    Map<String, Set<Component>> drifted = new ConcurrentHashMap<>();
    say("lab " + topology.lab() + ": rendering configs");
    for (Host h : topology.hosts()) {
      drifted.put(h.name(), writeConfigs(h, appJar, secrets));
    }
    for (Component c : Component.values()) {
      List<Host> hosts =
          topology.hosts().stream()
              .filter(
                  h -> !stopped.contains(h.name()) && Planner.components(topology, h).contains(c))
              .toList();
      if (hosts.isEmpty()) {
        continue;
      }
      if (c == Component.MARIADB) {
        Set<String> dbDrift = new HashSet<>();
        hosts.stream()
            .filter(h -> drifted.get(h.name()).contains(c))
            .forEach(h -> dbDrift.add(h.name()));
        new DatabaseTier(topology, driver, runner, secrets, clock, this::say)
            .converge(dbDrift, stopped, schema, this::inParallel);
      } else {
        inParallel(hosts, h -> ensure(h, c, drifted.get(h.name()).contains(c)));
      }
    }
  }

  /** The site's address as a visitor types it. */
  public String siteUrl() {
    return (topology.tls().enabled() ? "https://" : "http://") + topology.siteFqdns().get(0) + "/";
  }

  private boolean machineReachesSite() {
    return topology.networks().stream()
        .anyMatch(n -> n.machineAddress().isPresent() && n.cidr().contains(topology.siteAddress()));
  }

  private void writeTopologyCopy(String text) {
    try {
      Files.createDirectories(layout.labDir());
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

  /** The rendered files of one component on one host. */
  public List<RenderedFile> render(Host h, Component c) {
    return switch (c) {
      case DNSMASQ -> DnsmasqRenderer.render(topology, h, layout);
      case MARIADB -> MariadbRenderer.render(topology, h, layout);
      case APP -> AppRenderer.render(topology, h, layout);
      case NGINX -> NginxRenderer.render(topology, h, layout);
      case HAPROXY -> HaproxyRenderer.render(topology, h, layout);
      case KEEPALIVED -> KeepalivedRenderer.render(topology, h, layout);
      case GARBD -> List.of();
    };
  }

  /**
   * Loads the host's nftables ruleset before any daemon starts behind it; with the firewall off,
   * removes webinfra's table. Loading is atomic ({@code nft -f} replaces the whole ruleset at
   * once).
   */
  private void applyFirewall(Host h) {
    if (!h.settings().firewall().enabled()) {
      driver.exec(
          h.name(),
          List.of("nft", "delete", "table", "inet", "webinfra"),
          null,
          Duration.ofSeconds(10));
      return;
    }
    List<RenderedFile> files = NftablesRenderer.render(topology, h, layout);
    mkdirs(layout.host(h.name()).etc());
    boolean changed = write(h, files);
    boolean loaded =
        driver
            .exec(
                h.name(),
                List.of("nft", "list", "table", "inet", "webinfra"),
                null,
                Duration.ofSeconds(10))
            .ok();
    if (changed || !loaded) {
      say("  " + h.name() + "/firewall: loading " + files.get(0).path().getFileName());
      check(
          h,
          "nft -f",
          driver.exec(
              h.name(),
              List.of("nft", "-f", files.get(0).path().toString()),
              null,
              Duration.ofSeconds(20)));
    }
  }

  /** The packets a host's firewall dropped, or null when it has none. */
  private Long droppedPackets(Host h) {
    if (!h.settings().firewall().enabled()) {
      return null;
    }
    ExecResult r =
        driver.exec(
            h.name(),
            List.of("nft", "list", "counter", "inet", "webinfra", "dropped"),
            null,
            Duration.ofSeconds(10));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("packets (\\d+)").matcher(r.stdout());
    return r.ok() && m.find() ? Long.parseLong(m.group(1)) : null;
  }

  /** Renders and writes a host's files; returns the components whose inputs changed. */
  private Set<Component> writeConfigs(Host h, Path appJar, Secrets secrets) {
    LabLayout.HostDirs d = layout.host(h.name());
    Set<Component> changed = new HashSet<>();
    mkdirs(d.etc(), d.log(), d.run(), d.data(), d.www());
    write(h, ResolvRenderer.render(topology, h, layout));
    for (Component c : Planner.components(topology, h)) {
      if (write(h, render(h, c))) {
        changed.add(c);
      }
    }
    if (topology.tls().enabled()) {
      changed.addAll(ensureCertificates(h));
    }
    if (h.has(Role.APP)) {
      driver.writeFile(
          h.name(),
          AppRenderer.passwordFile(layout, h),
          secrets.password("db-app") + "\n",
          "rw-------",
          HostSetup.APP_USER);
      if (deployJar(appJar, Daemons.appJar(layout, h.name()))) {
        changed.add(Component.APP);
      }
    }
    if (h.has(Role.WEB)) {
      extractStatic(appJar, d.www());
    }
    if (h.has(Role.DB)) {
      mkdirsOwned(
          "mysql",
          d.log().resolve("mariadb"),
          d.run().resolve("mariadb"),
          d.data().resolve("binlog"));
    }
    return changed;
  }

  /** The lab's CA: its key stays in the 0700 secrets directory; its certificate is public. */
  private LabCa ca() {
    LabCa ca = LabCa.loadOrCreate(layout.secretsDir().resolve("ca"), topology.lab(), clock);
    Path pub = HaproxyRenderer.caFile(layout);
    if (!Files.exists(pub)) {
      driver.writeFile("-", pub, Pem.write(ca.certificate()), "rw-r--r--", null);
    }
    return ca;
  }

  /**
   * Issues the certificates a host needs, unless the ones it has still serve: the site's for a load
   * balancer (the user's, in mode files), its own name's for a server behind TLS. Returns the
   * components to restart. A client gets the lab CA in its system trust store.
   */
  private Set<Component> ensureCertificates(Host h) {
    Set<Component> changed = new HashSet<>();
    if (h.has(Role.LB)) {
      Path pem = HaproxyRenderer.sitePem(layout, h);
      List<String> ips = new ArrayList<>(HaproxyRenderer.frontAddresses(topology, h));
      String content = null;
      if (topology.tls().mode() == dev.webinfra.topology.Tls.Mode.FILES) {
        try {
          content =
              Files.readString(topology.tls().certFile().orElseThrow())
                  + Files.readString(topology.tls().keyFile().orElseThrow());
        } catch (IOException e) {
          throw WebinfraException.invalidInput(
              "tls: cannot read the certificate files: " + e.getMessage(), e);
        }
      } else if (!stillServes(pem, pem, topology.siteFqdns())) {
        content = ca().issueServer(topology.siteFqdns(), ips, Duration.ofDays(90)).haproxyPem();
      }
      if (content != null && !content.equals(read(pem))) {
        driver.writeFile(h.name(), pem, content, "rw-------", null);
        changed.add(Component.HAPROXY);
      }
    }
    if (h.has(Role.WEB) && topology.tls().backend()) {
      Path crt = NginxRenderer.certFile(layout, h);
      Path key = NginxRenderer.keyFile(layout, h);
      if (!stillServes(crt, key, List.of(h.name()))) {
        IssuedCertificate c =
            ca().issueServer(
                    List.of(h.name()),
                    h.attachments().stream().map(a -> a.address().toString()).toList(),
                    Duration.ofDays(90));
        driver.writeFile(h.name(), key, c.privateKeyPem(), "rw-------", null);
        driver.writeFile(
            h.name(), crt, c.certificatePem() + c.caCertificatePem(), "rw-r--r--", null);
        changed.add(Component.NGINX);
      }
    }
    if (h.has(Role.CLIENT)) {
      // ip netns exec mounts /etc/netns/<ns>/ssl over /etc/ssl: the system bundle plus the lab CA.
      Path etcSsl = layout.netnsEtc(h.name()).resolve("ssl");
      String bundle = read(Path.of("/etc/ssl/certs/ca-certificates.crt"));
      driver.writeFile(
          h.name(),
          etcSsl.resolve("certs").resolve("ca-certificates.crt"),
          (bundle == null ? "" : bundle) + Pem.write(ca().certificate()),
          "rw-r--r--",
          null);
      String cnf = read(Path.of("/etc/ssl/openssl.cnf"));
      if (cnf != null) {
        driver.writeFile(h.name(), etcSsl.resolve("openssl.cnf"), cnf, "rw-r--r--", null);
      }
    }
    return changed;
  }

  // A certificate is kept while it is valid for 30 more days and covers its names, so up restarts
  // nothing.
  private boolean stillServes(Path crt, Path key, List<String> names) {
    return Files.exists(crt)
        && Files.exists(key)
        && CertificateCheck.problems(crt, key, names, clock.instant().plus(Duration.ofDays(30)))
            .isEmpty();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Writes the files that differ from what is on disk; returns whether any did. */
  public boolean write(Host h, List<RenderedFile> files) {
    boolean changed = false;
    for (RenderedFile f : files) {
      try {
        if (Files.exists(f.path()) && Files.readString(f.path()).equals(f.content())) {
          continue;
        }
      } catch (IOException e) {
        // Unreadable: write it again.
      }
      driver.writeFile(h.name(), f.path(), f.content(), f.mode(), null);
      changed = true;
    }
    return changed;
  }

  private void ensure(Host h, Component c, boolean drifted) {
    Daemon daemon = Daemons.of(topology, h, c, layout);
    Long pid = runner.runningPid(daemon);
    if (pid != null && !drifted) {
      say("  " + daemon.id() + ": running (pid " + pid + "), config unchanged");
      return;
    }
    if (pid != null) {
      say("  " + daemon.id() + ": restarting: config drift");
      runner.stop(daemon);
    }
    prepare(h, c);
    runner.start(daemon, List.of(), Duration.ofSeconds(30));
  }

  private void prepare(Host h, Component c) {
    LabLayout.HostDirs d = layout.host(h.name());
    switch (c) {
      case NGINX ->
          check(
              h,
              "nginx config test",
              driver.exec(
                  h.name(),
                  List.of(
                      "nginx",
                      "-t",
                      "-q",
                      "-c",
                      d.etc().resolve("nginx.conf").toString(),
                      "-p",
                      d.run() + "/",
                      "-e",
                      d.log().resolve("nginx-error.log").toString()),
                  null,
                  Duration.ofSeconds(20)));
      case HAPROXY -> {
        // HAProxy binds the floating IP before keepalived gives it to this host.
        check(
            h,
            "sysctl ip_nonlocal_bind",
            driver.exec(
                h.name(),
                List.of("sysctl", "-q", "-w", "net.ipv4.ip_nonlocal_bind=1"),
                null,
                Duration.ofSeconds(10)));
        check(
            h,
            "haproxy config check",
            driver.exec(
                h.name(),
                List.of("haproxy", "-c", "-q", "-f", d.etc().resolve("haproxy.cfg").toString()),
                null,
                Duration.ofSeconds(20)));
      }
      // No keepalived pre-check: its --config-test writes its log into the file it tests.
      // keepalived's VRRP child outlives a killed parent for a moment, and a new keepalived that
      // sees it refuses to start.
      case KEEPALIVED ->
          LabInventory.killFromPidFiles(
              d.run().resolve("keepalived.pid"), d.run().resolve("keepalived-vrrp.pid"));
      default -> {}
    }
  }

  // The app owns its schema; it ships in the jar and is applied here as root, since the app's user
  // has DML rights only.
  private static String schemaSql(Path appJar) {
    try (ZipFile zip = new ZipFile(appJar.toFile())) {
      ZipEntry e = zip.getEntry("schema.sql");
      if (e == null) {
        throw WebinfraException.unexpectedState("the app's jar " + appJar + " has no schema.sql");
      }
      try (InputStream in = zip.getInputStream(e)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException ex) {
      throw WebinfraException.unexpectedState(
          "cannot read schema.sql from " + appJar + ": " + ex.getMessage(), ex);
    }
  }

  private boolean deployJar(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      if (Files.exists(to) && Files.mismatch(from, to) == -1) {
        return false;
      }
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "cannot deploy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private void extractStatic(Path jar, Path www) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (!e.getName().startsWith("static/") || e.isDirectory() || e.getName().contains("..")) {
          continue;
        }
        Path target = www.resolve(e.getName());
        Files.createDirectories(target.getParent());
        try (InputStream in = zip.getInputStream(e)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException ex) {
      throw WebinfraException.unexpectedState(
          "cannot extract static files from " + jar + ": " + ex.getMessage(), ex);
    }
  }

  private void waitForSite(Duration timeout) {
    List<Host> clients = topology.hostsWith(Role.CLIENT);
    if (clients.isEmpty()) {
      return;
    }
    String url = siteUrl();
    say("lab " + topology.lab() + ": waiting for " + url + " from host " + clients.get(0).name());
    Instant deadline = clock.instant().plus(timeout);
    ExecResult last = null;
    while (clock.instant().isBefore(deadline)) {
      last =
          driver.exec(
              clients.get(0).name(),
              List.of(
                  "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url),
              null,
              Duration.ofSeconds(5));
      if (last.stdout().strip().equals("200")) {
        return;
      }
      DaemonRunner.sleep(100);
    }
    throw WebinfraException.unexpectedState(
        "lab "
            + topology.lab()
            + ": "
            + url
            + " does not answer 200 from host "
            + clients.get(0).name()
            + " after "
            + timeout.toSeconds()
            + " s (last: "
            + (last == null ? "none" : "HTTP " + last.stdout().strip() + ", " + last.describe())
            + "); see ./webinfra status and ./webinfra logs");
  }

  /** Cuts a host like a power loss: every process killed at once, every link down. */
  public void stopHost(String name) {
    Host h =
        topology
            .host(name)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "host " + name + ": not in lab " + topology.lab()));
    String ns = layout.namespace(name);
    if (!LabInventory.namespaces().contains(ns)) {
      throw WebinfraException.unexpectedState(
          "host " + name + ": lab " + topology.lab() + " has no namespace " + ns + "; is it up?");
    }
    // Recorded first, so the controller does not bring the host's daemons back.
    new LabState(layout).setStopped(name, true);
    List<Long> pids = LabInventory.pidsIn(ns);
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    Instant deadline = clock.instant().plusSeconds(5);
    while (clock.instant().isBefore(deadline) && !LabInventory.pidsIn(ns).isEmpty()) {
      DaemonRunner.sleep(20);
    }
    for (Attachment a : h.attachments()) {
      Shell.run("ip", "-n", ns, "link", "set", a.network(), "down");
    }
    say("host " + name + ": stopped (" + pids.size() + " processes killed, links down)");
  }

  /** Brings a stopped host back: links up, then the whole lab converges around it. */
  public void startHost(String name, Path appJar) {
    topology
        .host(name)
        .orElseThrow(
            () ->
                WebinfraException.invalidInput("host " + name + ": not in lab " + topology.lab()));
    say("host " + name + ": starting");
    ControllerProcess.paused(
        layout,
        () -> {
          new LabState(layout).setStopped(name, false);
          converge(appJar);
          return null;
        });
    say("host " + name + ": started");
  }

  /** The state of every host and component, the floating IP and the database. */
  public LabStatus status() {
    Set<String> namespaces = LabInventory.namespaces();
    List<HostStatus> hosts = new ArrayList<>();
    Set<String> upHosts = new HashSet<>();
    for (Host h : topology.hosts()) {
      boolean up = namespaces.contains(layout.namespace(h.name())) && linksUp(h);
      if (up) {
        upHosts.add(h.name());
      }
      List<ComponentStatus> comps = new ArrayList<>();
      for (Component c : Planner.components(topology, h)) {
        Daemon d = Daemons.of(topology, h, c, layout);
        Long pid = up ? runner.runningPid(d) : null;
        String state = pid == null ? "stopped" : runner.probe(d).ok() ? "running" : "degraded";
        comps.add(new ComponentStatus(c.label(), state, pid));
      }
      Map<String, String> addresses = new LinkedHashMap<>();
      for (Attachment a : h.attachments()) {
        addresses.put(a.network(), a.address().toString());
      }
      HostStatus.Firewall fw =
          h.settings().firewall().enabled()
              ? new HostStatus.Firewall(true, up ? droppedPackets(h) : null)
              : new HostStatus.Firewall(false, null);
      hosts.add(
          new HostStatus(
              h.name(), h.roles().stream().map(Role::yamlName).toList(), addresses, up, comps, fw));
    }
    return new LabStatus(
        topology.lab(),
        new LabStatus.Site(topology.siteFqdns(), topology.siteAddress().toString(), siteUrl()),
        hosts,
        topology
            .vip()
            .map(v -> new LabStatus.VipStatus(v.address().toString(), vipHolders(upHosts)))
            .orElse(null),
        databaseStatus(upHosts));
  }

  /** The load balancers that hold the floating IP right now (one, in a healthy lab). */
  public List<String> vipHolders(Set<String> upHosts) {
    String vip = topology.vip().map(v -> v.address().toString()).orElse(null);
    if (vip == null) {
      return List.of();
    }
    return topology.hostsWith(Role.LB).stream()
        .filter(lb -> upHosts.contains(lb.name()))
        .filter(
            lb ->
                Shell.run("ip", "-n", layout.namespace(lb.name()), "-o", "-4", "addr", "show")
                    .stdout()
                    .contains(" " + vip + "/"))
        .map(Host::name)
        .toList();
  }

  private LabStatus.DatabaseStatus databaseStatus(Set<String> upHosts) {
    if (topology.database().kind() == Database.Kind.NONE) {
      return null;
    }
    Sql sql = new Sql(driver, layout);
    List<String> primaries = new ArrayList<>();
    List<LabStatus.ReplicaStatus> replicas = new ArrayList<>();
    for (Host h : topology.hostsWith(Role.DB)) {
      if (!upHosts.contains(h.name())
          || runner.runningPid(Daemons.of(topology, h, Component.MARIADB, layout)) == null) {
        continue;
      }
      Optional<String> readOnly = sql.value(h.name(), "SELECT @@read_only");
      Optional<String> master = sql.slaveStatus(h.name(), "Master_Host");
      if (master.isPresent()) {
        Optional<String> lag = sql.slaveStatus(h.name(), "Seconds_Behind_Master");
        replicas.add(
            new LabStatus.ReplicaStatus(
                h.name(),
                lag.filter(s -> s.chars().allMatch(Character::isDigit) && !s.isEmpty())
                    .map(Long::parseLong)
                    .orElse(null)));
      } else if (readOnly.filter("0"::equals).isPresent()) {
        primaries.add(h.name());
      }
    }
    return new LabStatus.DatabaseStatus(topology.database().kind().yamlName(), primaries, replicas);
  }

  private boolean linksUp(Host h) {
    ExecResult r =
        driver.exec(
            h.name(), List.of("ip", "-o", "link", "show", "up"), null, Duration.ofSeconds(5));
    return r.ok()
        && h.attachments().stream().allMatch(a -> r.stdout().contains(": " + a.network() + "@"));
  }

  /** Takes the lab down, leaving nothing of it on the machine. */
  public static void down(String lab, PrintWriter out) {
    LabLayout layout = LabLayout.of(lab);
    Consumer<String> say =
        line -> {
          out.println("  " + line);
          out.flush();
        };
    LabCleaner cleaner = new LabCleaner(layout, say);
    out.println("lab " + lab + ": taking down");
    out.flush();
    cleaner.down();
    Labs.forget(lab);
    List<String> left = cleaner.leftovers();
    if (!left.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "lab " + lab + ": still on the machine after down: " + String.join(", ", left));
    }
    out.println("lab " + lab + ": down; nothing of it is left");
    out.flush();
  }

  private void check(Host h, String what, ExecResult r) {
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + h.name() + ": " + what + " failed: " + r.describe());
    }
  }

  private void mkdirs(Path... dirs) {
    for (Path p : dirs) {
      try {
        Files.createDirectories(p);
      } catch (IOException e) {
        throw WebinfraException.unexpectedState("cannot create " + p + ": " + e.getMessage(), e);
      }
    }
  }

  private void mkdirsOwned(String owner, Path... dirs) {
    mkdirs(dirs);
    for (Path p : dirs) {
      try {
        Files.setOwner(
            p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
      } catch (IOException e) {
        throw WebinfraException.unexpectedState(
            "cannot give " + p + " to user " + owner + ": " + e.getMessage(), e);
      }
    }
  }

  /** Runs a task on several hosts at once. */
  public interface Parallel {
    void run(List<Host> hosts, Consumer<Host> task);
  }

  // Hosts of one tier start together: three servers take as long as one.
  private void inParallel(List<Host> hosts, Consumer<Host> task) {
    if (hosts.size() <= 1) {
      hosts.forEach(task);
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (Host h : hosts) {
        futures.add(pool.submit(() -> task.accept(h)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw WebinfraException.unexpectedState(
              "lab " + topology.lab() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw WebinfraException.unexpectedState("lab " + topology.lab() + ": interrupted", e);
        }
      }
    }
  }
}
