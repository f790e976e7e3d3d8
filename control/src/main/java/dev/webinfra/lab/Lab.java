package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
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
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.resolv.ResolvRenderer;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.topology.Attachment;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One lab on this machine: brings it up from its topology (converging whatever already exists),
 * reports its state, and takes it down. Each step is printed as it happens.
 */
public final class Lab {
  private final Topology topology;
  private final LabLayout layout;
  private final LabHostDriver driver;
  private final PrintWriter out;
  private final Clock clock;

  public Lab(Topology topology, LabLayout layout, PrintWriter out, Clock clock) {
    this.topology = topology;
    this.layout = layout;
    this.driver = new LabHostDriver(layout);
    this.out = out;
    this.clock = clock;
  }

  /** The lab's host driver. */
  public LabHostDriver driver() {
    return driver;
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** Brings the lab up, or converges it when it is already (partly) up. */
  public void up(Path appJar, String topologyText) {
    Instant start = clock.instant();
    if (!Files.isRegularFile(appJar)) {
      throw WebinfraException.unexpectedState("the app's jar " + appJar + " is missing; build it with ./mvnw -DskipTests package");
    }
    // Written first, so that down finds the lab even if this run is killed halfway.
    Labs.setCurrent(topology.lab());
    writeTopologyCopy(topologyText);
    say("lab " + topology.lab() + ": wiring " + topology.hosts().size() + " hosts on " + topology.networks().size() + " networks");
    new LabNetwork(topology, layout, line -> say("  " + line)).ensure();

    Secrets secrets = new Secrets(layout.secretsDir());
    String schema = schemaSql(appJar);
    Map<String, Set<Component>> drifted = new ConcurrentHashMap<>();
    say("lab " + topology.lab() + ": rendering configs");
    for (Host h : topology.hosts()) {
      drifted.put(h.name(), writeConfigs(h, appJar, secrets));
    }
    for (Component c : Component.values()) {
      List<Host> hosts = topology.hosts().stream().filter(h -> Planner.components(h).contains(c)).toList();
      if (!hosts.isEmpty()) {
        inParallel(hosts, h -> converge(h, c, drifted.get(h.name()).contains(c), secrets, schema));
      }
    }
    waitForSite(Duration.ofSeconds(30));
    Duration took = Duration.between(start, clock.instant());
    String site = topology.siteFqdns().get(0);
    say("");
    say("lab " + topology.lab() + " is up in " + String.format("%.1f", took.toMillis() / 1000.0) + " s: http://" + site + "/ -> "
        + topology.siteAddress());
    topology.hostsWith(Role.CLIENT).stream().findFirst().ifPresent(c ->
        say("  from the client host:  ./webinfra exec " + c.name() + " -- curl -s http://" + site + "/"));
    if (machineReachesSite()) {
      say("  from this machine:     curl --resolve " + site + ":80:" + topology.siteAddress() + " http://" + site + "/");
    }
    say("  state:                 ./webinfra status    logs: ./webinfra logs HOST [COMPONENT]    take down: ./webinfra down");
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
      throw WebinfraException.unexpectedState("lab " + topology.lab() + ": cannot write " + layout.topologyCopy() + ": " + e.getMessage(), e);
    }
  }

  /** Renders and writes a host's files; returns the components whose inputs changed. */
  private Set<Component> writeConfigs(Host h, Path appJar, Secrets secrets) {
    LabLayout.HostDirs d = layout.host(h.name());
    Set<Component> changed = new java.util.HashSet<>();
    mkdirs(d.etc(), d.log(), d.run(), d.data(), d.www());
    write(h, ResolvRenderer.render(topology, h, layout));
    for (Component c : Planner.components(h)) {
      List<RenderedFile> files = switch (c) {
        case DNSMASQ -> DnsmasqRenderer.render(topology, h, layout);
        case MARIADB -> MariadbRenderer.render(topology, h, layout);
        case APP -> AppRenderer.render(topology, h, layout);
        case NGINX -> NginxRenderer.render(topology, h, layout);
      };
      if (write(h, files)) {
        changed.add(c);
      }
    }
    if (h.has(Role.APP)) {
      driver.writeFile(h.name(), AppRenderer.passwordFile(layout, h), secrets.password("db-app") + "\n", "rw-------", HostSetup.APP_USER);
      if (deployJar(appJar, Daemons.appJar(layout, h.name()))) {
        changed.add(Component.APP);
      }
    }
    if (h.has(Role.WEB)) {
      extractStatic(appJar, d.www());
    }
    if (h.has(Role.DB)) {
      mkdirsOwned("mysql", d.log().resolve("mariadb"), d.run().resolve("mariadb"), d.data().resolve("binlog"));
    }
    return changed;
  }

  private boolean write(Host h, List<RenderedFile> files) {
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

  private void converge(Host h, Component c, boolean drifted, Secrets secrets, String schema) {
    Daemon daemon = Daemons.of(topology, h, c, layout);
    Long pid = runningPid(daemon);
    if (pid != null && !drifted) {
      say("  " + daemon.id() + ": running (pid " + pid + "), config unchanged");
      if (c == Component.MARIADB) {
        bootstrapDatabase(h, secrets, schema);
      }
      return;
    }
    if (pid != null) {
      say("  " + daemon.id() + ": restarting: config drift");
      stop(daemon);
    }
    prepare(h, c);
    say("  " + daemon.id() + ": starting");
    long started = driver.spawn(h.name(), daemon.command(), daemon.log());
    writePid(daemon, started);
    awaitReady(daemon, started, c == Component.MARIADB ? Duration.ofSeconds(60) : Duration.ofSeconds(30));
    if (c == Component.MARIADB) {
      bootstrapDatabase(h, secrets, schema);
    }
    say("  " + daemon.id() + ": ready (pid " + started + ")");
  }

  private void prepare(Host h, Component c) {
    LabLayout.HostDirs d = layout.host(h.name());
    switch (c) {
      case MARIADB -> {
        if (!Files.isDirectory(d.data().resolve("mysql").resolve("mysql"))) {
          say("  " + h.name() + "/mariadb: initialising datadir " + d.data().resolve("mysql"));
          // root gets the unix_socket plugin only: it logs in through the socket, never with a password.
          check(h, "mariadb-install-db", driver.exec(h.name(), List.of("mariadb-install-db",
              "--defaults-file=" + d.etc().resolve("my.cnf"), "--auth-root-authentication-method=socket",
              "--skip-test-db", "--skip-name-resolve"), null, Duration.ofSeconds(120)));
        }
      }
      case NGINX -> check(h, "nginx config test", driver.exec(h.name(),
          List.of("nginx", "-t", "-q", "-c", d.etc().resolve("nginx.conf").toString(), "-p", d.run() + "/",
              "-e", d.log().resolve("nginx-error.log").toString()), null, Duration.ofSeconds(20)));
      default -> { }
    }
  }

  private void bootstrapDatabase(Host db, Secrets secrets, String schema) {
    StringBuilder sql = new StringBuilder(schema);
    sql.append("\n");
    String password = secrets.password("db-app").replace("'", "''");
    for (Host app : topology.hostsWith(Role.APP)) {
      // One account per app host and address: the app user can log in from nowhere else.
      String from = app.addressFor(db).toString();
      sql.append("CREATE USER IF NOT EXISTS 'webinfra_app'@'").append(from).append("' IDENTIFIED BY '").append(password).append("';\n");
      sql.append("ALTER USER 'webinfra_app'@'").append(from).append("' IDENTIFIED BY '").append(password).append("';\n");
      sql.append("GRANT SELECT, INSERT, UPDATE, DELETE ON webinfra.* TO 'webinfra_app'@'").append(from).append("';\n");
    }
    // Through stdin, so that no password shows in a process list.
    check(db, "database bootstrap", driver.exec(db.name(),
        List.of("mariadb", "--defaults-file=" + layout.host(db.name()).etc().resolve("my.cnf")), sql.toString(), Duration.ofSeconds(30)));
  }

  // The app owns its schema; it ships in the jar and is applied here as root, since the app's user has DML rights only.
  private static String schemaSql(Path appJarPath) {
    try (ZipFile zip = new ZipFile(appJarPath.toFile())) {
      ZipEntry e = zip.getEntry("schema.sql");
      if (e == null) {
        throw WebinfraException.unexpectedState("the app's jar " + appJarPath + " has no schema.sql");
      }
      try (InputStream in = zip.getInputStream(e)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException ex) {
      throw WebinfraException.unexpectedState("cannot read schema.sql from " + appJarPath + ": " + ex.getMessage(), ex);
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
      throw WebinfraException.unexpectedState("cannot deploy " + from + " to " + to + ": " + e.getMessage(), e);
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
      throw WebinfraException.unexpectedState("cannot extract static files from " + jar + ": " + ex.getMessage(), ex);
    }
  }

  private void awaitReady(Daemon daemon, long pid, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    ExecResult last = null;
    while (clock.instant().isBefore(deadline)) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw WebinfraException.unexpectedState(daemon.id() + ": exited during start-up\n" + logTail(daemon));
      }
      last = driver.exec(daemon.host(), daemon.readyProbe(), null, Duration.ofSeconds(5));
      if (last.ok()) {
        return;
      }
      sleep(100);
    }
    throw WebinfraException.unexpectedState(daemon.id() + ": not ready after " + timeout.toSeconds() + " s (process "
        + pid + " alive; last probe " + (last == null ? "none" : last.describe()) + ")\n" + logTail(daemon));
  }

  private String logTail(Daemon daemon) {
    StringBuilder sb = new StringBuilder();
    List<Path> logs = new ArrayList<>(daemon.logs());
    logs.add(daemon.log());
    for (Path p : logs.stream().distinct().toList()) {
      try {
        List<String> lines = Files.readAllLines(p);
        if (!lines.isEmpty()) {
          sb.append("  last lines of ").append(p).append(":\n");
          lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(l -> sb.append("    ").append(l).append("\n"));
        }
      } catch (IOException e) {
        // No such log yet.
      }
    }
    return sb.toString().stripTrailing();
  }

  private void waitForSite(Duration timeout) {
    List<Host> clients = topology.hostsWith(Role.CLIENT);
    if (clients.isEmpty()) {
      return;
    }
    String url = "http://" + topology.siteFqdns().get(0) + "/";
    say("lab " + topology.lab() + ": waiting for " + url + " from host " + clients.get(0).name());
    Instant deadline = clock.instant().plus(timeout);
    ExecResult last = null;
    while (clock.instant().isBefore(deadline)) {
      last = driver.exec(clients.get(0).name(),
          List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url), null, Duration.ofSeconds(5));
      if (last.stdout().strip().equals("200")) {
        return;
      }
      sleep(200);
    }
    throw WebinfraException.unexpectedState("lab " + topology.lab() + ": " + url + " does not answer 200 from host "
        + clients.get(0).name() + " after " + timeout.toSeconds() + " s (last: " + (last == null ? "none" : "HTTP " + last.stdout().strip()
        + ", " + last.describe()) + "); see ./webinfra status and ./webinfra logs");
  }

  /** The pid of a component's process if it is alive in its host, else null. */
  public Long runningPid(Daemon daemon) {
    try {
      if (!Files.exists(daemon.pidFile())) {
        return null;
      }
      long pid = Long.parseLong(Files.readString(daemon.pidFile()).strip());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
          && LabInventory.inNamespace(pid, layout.namespace(daemon.host()));
      return alive ? pid : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private void writePid(Daemon daemon, long pid) {
    driver.writeFile(daemon.host(), daemon.pidFile(), pid + "\n", "rw-r--r--", null);
  }

  /** Stops a component: TERM, then KILL after 10 s. */
  public void stop(Daemon daemon) {
    Long pid = runningPid(daemon);
    if (pid == null) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    Instant deadline = clock.instant().plusSeconds(10);
    while (clock.instant().isBefore(deadline) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      sleep(50);
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** The state of every host and component. */
  public LabStatus status() {
    Set<String> namespaces = LabInventory.namespaces();
    List<HostStatus> hosts = new ArrayList<>();
    for (Host h : topology.hosts()) {
      boolean up = namespaces.contains(layout.namespace(h.name())) && linksUp(h);
      List<ComponentStatus> comps = new ArrayList<>();
      for (Component c : Planner.components(h)) {
        Daemon d = Daemons.of(topology, h, c, layout);
        Long pid = up ? runningPid(d) : null;
        String state = pid == null ? "stopped"
            : driver.exec(h.name(), d.readyProbe(), null, Duration.ofSeconds(5)).ok() ? "running" : "degraded";
        comps.add(new ComponentStatus(c.label(), state, pid));
      }
      Map<String, String> addresses = new LinkedHashMap<>();
      for (Attachment a : h.attachments()) {
        addresses.put(a.network(), a.address().toString());
      }
      hosts.add(new HostStatus(h.name(), h.roles().stream().map(Role::yamlName).toList(), addresses, up, comps));
    }
    String site = topology.siteFqdns().get(0);
    return new LabStatus(topology.lab(),
        new LabStatus.Site(topology.siteFqdns(), topology.siteAddress().toString(), "http://" + site + "/"), hosts);
  }

  private boolean linksUp(Host h) {
    ExecResult r = driver.exec(h.name(), List.of("ip", "-o", "link", "show", "up"), null, Duration.ofSeconds(5));
    return r.ok() && h.attachments().stream().allMatch(a -> r.stdout().contains(": " + a.network() + "@"));
  }

  /** Takes the lab down, leaving nothing of it on the machine. */
  public static void down(String lab, PrintWriter out) {
    LabLayout layout = LabLayout.of(lab);
    LabCleaner cleaner = new LabCleaner(layout, line -> {
      out.println("  " + line);
      out.flush();
    });
    out.println("lab " + lab + ": taking down");
    out.flush();
    cleaner.down();
    Labs.forget(lab);
    List<String> left = cleaner.leftovers();
    if (!left.isEmpty()) {
      throw WebinfraException.unexpectedState("lab " + lab + ": still on the machine after down: " + String.join(", ", left));
    }
    out.println("lab " + lab + ": down; nothing of it is left");
    out.flush();
  }

  private void check(Host h, String what, ExecResult r) {
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("host " + h.name() + ": " + what + " failed: " + r.describe());
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
        Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner));
      } catch (IOException e) {
        throw WebinfraException.unexpectedState("cannot give " + p + " to user " + owner + ": " + e.getMessage(), e);
      }
    }
  }

  private interface HostTask {
    void run(Host h);
  }

  // Hosts of one tier start together: three servers take as long as one.
  private void inParallel(List<Host> hosts, HostTask task) {
    if (hosts.size() == 1) {
      task.run(hosts.get(0));
      return;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = hosts.stream().map(h -> pool.submit(() -> task.run(h))).<Future<?>>map(f -> f).toList();
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw WebinfraException.unexpectedState("lab " + topology.lab() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw WebinfraException.unexpectedState("lab " + topology.lab() + ": interrupted", e);
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
