package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Stop;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Shell;
import dev.webinfra.host.SiteController;
import dev.webinfra.render.systemd.SystemdUnitRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Ssh;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The controller of a site of servers: {@code webinfra-controller.service} on its first monitoring
 * host, so that what keeps the site up does not depend on the operator's machine being on. It
 * reaches the other servers over SSH, at their addresses on the networks it shares with them, with
 * a key of the site's own ({@code secrets/controller_ed25519}) that {@code up} authorizes on each
 * server (restricted to the monitoring host's addresses) and {@code down} removes.
 *
 * <p>The site's state (the effective topology's files, the anti-flapping history, the event log)
 * lives where the controller runs. It travels with the pause: {@link #stop} brings it to this
 * machine, where the operator's command changes it, and {@link #ensureRunning} sends it back before
 * the controller starts again. The event log is merged both ways, so that neither side's entries
 * are lost.
 */
public final class ServerController implements SiteController {
  /** The controller's name as a service: {@code webinfra-controller.service}. */
  public static final String NAME = "controller";

  private static final Duration SHORT = Duration.ofSeconds(30);

  // What travels to the monitoring host, and what comes back from it.
  private static final List<String> SENT =
      List.of("topology.yaml", "secrets", "state", "events.log", "ca.crt");
  private static final List<String> KEPT_THERE = List.of("state", "events.log");

  private final Topology t;
  private final Host mon;
  private final SshHostDriver driver;
  private final ServerLayout layout;
  private final SystemdSupervisor systemd;
  private final ShippedJava shipped;
  private final Consumer<String> say;

  /**
   * The controller of site {@code t} on its host {@code mon}, as the operator's commands see it:
   * reached through {@code driver}, its service run by {@code systemd} on webinfra's {@code
   * shipped} code; what it does goes to {@code say}.
   */
  public ServerController(
      Topology t,
      Host mon,
      SshHostDriver driver,
      ServerLayout layout,
      SystemdSupervisor systemd,
      ShippedJava shipped,
      Consumer<String> say) {
    this.t = t;
    this.mon = mon;
    this.driver = driver;
    this.layout = layout;
    this.systemd = systemd;
    this.shipped = shipped;
    this.say = say;
  }

  /**
   * The driver of the controller running on {@code self}: it reaches every server as {@link #reach}
   * says, through {@code ssh}.
   */
  public static SshHostDriver driverFrom(
      Topology t, Host self, SshTransport ssh, ServerLayout layout) {
    return new SshHostDriver(t, ssh, Optional.empty(), h -> reach(self, h, layout));
  }

  /** The host the controller runs on: the first monitoring host, if the site has one. */
  public static Optional<Host> host(Topology t) {
    return t.hostsWith(Role.MONITOR).stream().findFirst();
  }

  /** The comment that marks the controller's key in a server's authorized_keys. */
  static String marker(String site) {
    return "webinfra-controller@" + site;
  }

  /** The controller's private key, in the site's secrets (on this machine and where it runs). */
  static Path key(ServerLayout layout) {
    return layout.secretsDir().resolve("controller_ed25519");
  }

  /** Where the controller finds the servers' host keys, as it reaches them. */
  static Path knownHosts(ServerLayout layout) {
    return layout.labDir().resolve("controller_known_hosts");
  }

  /**
   * Where the controller writes its pid once it has read the site and is about to look at it: its
   * readiness.
   */
  public static Path pidFile(ServerLayout layout) {
    return layout.labDir().resolve("controller.pid");
  }

  /** The controller's public key, made (with its private key) on first use. */
  static synchronized String publicKey(ServerLayout layout) {
    Path key = key(layout);
    Path pub = Path.of(key + ".pub");
    try {
      if (!Files.exists(pub) || !Files.exists(key)) {
        Files.deleteIfExists(pub);
        Files.createDirectories(key.getParent());
        Files.deleteIfExists(key);
        Shell.sshKeyPair(
            "site " + layout.lab() + ": make the controller's SSH key", marker(layout.lab()), key);
      }
      return Files.readString(pub).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The authorized_keys line of the controller's key: usable only from the monitoring host's
   * addresses, and for commands only (no forwarding, no terminal).
   */
  static String authorizedLine(Host mon, String publicKey) {
    List<String> from = mon.attachments().stream().map(a -> a.address().toString()).toList();
    return "from=\""
        + String.join(",", from)
        + "\",no-agent-forwarding,no-port-forwarding,no-X11-forwarding,no-pty "
        + publicKey;
  }

  /**
   * How the controller reaches {@code h} from {@code mon}: at its address on a network they share,
   * as the same user, with the controller's key and known_hosts.
   */
  static Ssh reach(Host mon, Host h, ServerLayout layout) {
    Ssh s = h.ssh().orElseThrow();
    String address = h.sharesNetworkWith(mon) ? h.addressFor(mon).toString() : s.address();
    return new Ssh(
        address, s.user(), s.port(), Optional.of(key(layout)), knownHosts(layout), s.interfaces());
  }

  /**
   * The known_hosts of the controller: each server's keys, as this machine's known_hosts holds them
   * for the address the operator reaches it at, under the address the controller reaches it at. The
   * spares' too, so that it reaches one that scale brings in; {@code missing} hears of the hosts
   * that run without a key there, not of spares not yet reached.
   */
  static String knownHostsFor(Topology t, Host mon, ServerLayout layout, Consumer<String> missing) {
    LinkedHashSet<String> lines = new LinkedHashSet<>();
    for (Host h : t.withSparesAsHosts().hosts()) {
      if (h.ssh().isEmpty()) {
        continue;
      }
      Ssh s = h.ssh().get();
      ExecResult r =
          Shell.run(
              List.of(
                  "ssh-keygen",
                  "-F",
                  hostPattern(s.address(), s.port()),
                  "-f",
                  s.knownHosts() + ""),
              null,
              SHORT);
      Ssh there = reach(mon, h, layout);
      List<String> found = rewritten(r.stdout(), hostPattern(there.address(), there.port()));
      if (found.isEmpty() && t.host(h.name()).isPresent()) {
        missing.accept(h.name());
      }
      lines.addAll(found);
    }
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  /** The known_hosts lines of {@code found} (ssh-keygen -F's answer) for host {@code pattern}. */
  static List<String> rewritten(String found, String pattern) {
    List<String> out = new ArrayList<>();
    for (String line : found.lines().toList()) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] words = l.split("\\s+", 2);
      if (words.length == 2) {
        out.add(pattern + " " + words[1]);
      }
    }
    return out;
  }

  private static String hostPattern(String address, int port) {
    return port == Ssh.DEFAULT_PORT ? address : "[" + address + "]:" + port;
  }

  /** The controller's service on {@code mon}: webinfra's runtime running the controller verb. */
  static DaemonSpec spec(Topology t, Host mon, HostPaths p, ServerLayout layout) {
    return DaemonSpec.builder(
            mon.name(),
            NAME,
            List.of(
                p.java().toString(),
                "-XX:+UseSerialGC",
                "-Xms16m",
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-Duser.home=/nonexistent",
                "-cp",
                p.control().toString(),
                "dev.webinfra.cli.Main",
                "controller",
                "--lab",
                t.lab(),
                "--on",
                mon.name()),
            p.log().resolve("controller.log"))
        .writes(layout.labDir())
        .readiness(Readiness.pidFile(pidFile(layout)))
        .stop(Stop.DEFAULT)
        .build();
  }

  private DaemonSpec spec() {
    return spec(t, mon, HostPaths.server(), layout);
  }

  @Override
  public boolean isRunning() {
    try {
      return systemd.isRunning(spec());
    } catch (WebinfraException e) {
      return false;
    }
  }

  /**
   * Sends the site's state to the monitoring host, installs what the controller runs on (if no
   * daemon there has yet), and starts its service.
   */
  @Override
  public void ensureRunning() {
    long began = System.nanoTime();
    String host = mon.name();
    shipped.runtime(host);
    shipped.controlJar(host);
    mergeEvents(fetch(List.of("events.log")));
    driver.mkdirs(host, layout.labDir(), null);
    exec("make " + layout.labDir() + " root's alone", "chmod 0700 " + layout.labDir());
    driver.writeFile(
        host,
        knownHosts(layout),
        knownHostsFor(
            t,
            mon,
            layout,
            h ->
                say.accept(
                    "host "
                        + h
                        + ": no host key in its known_hosts (ssh-keygen -F): the controller on "
                        + host
                        + " cannot reach it until up finds one")),
        "rw-------",
        null);
    send();
    DaemonSpec spec = spec();
    systemd.launch(spec, Fingerprint.of(spec, Map.of()));
    systemd.awaitStarted(spec, Duration.ofSeconds(60));
    say.accept(
        "site "
            + t.lab()
            + ": controller running on "
            + host
            + " (webinfra-controller.service, started and ready in "
            + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9)
            + " s); it reaches the servers with key "
            + marker(t.lab()));
  }

  /** Stops the service, if there is one, and brings the site's state back to this machine. */
  @Override
  public void stop() {
    DaemonSpec spec = spec();
    if (!systemd.wasStarted(spec)) {
      return;
    }
    systemd.stop(spec);
    byte[] back = fetch(KEPT_THERE);
    if (back.length == 0) {
      return;
    }
    Path events = layout.eventLog();
    String here = read(events);
    StateTar.unpack(back, layout.labDir(), List.of("state"));
    mergeInto(events, here, readFrom(back, "events.log"));
  }

  /**
   * Writes the host's being stopped into the site's state where the controller runs, as {@code
   * LabState} keeps it ({@code state/stopped/HOST}): it reads it on its next look, and goes on
   * running. Nothing when no controller was installed yet.
   */
  @Override
  public void hostStopped(String host, boolean stopped) {
    if (!systemd.wasStarted(spec())) {
      return;
    }
    Path dir = layout.labDir().resolve("state").resolve("stopped");
    exec(
        "tell the controller that " + host + (stopped ? " is stopped" : " runs"),
        stopped
            ? "mkdir -p " + dir + " && : > " + dir.resolve(host)
            : "rm -f " + dir.resolve(host));
  }

  /** Nothing: systemd knows its service. */
  @Override
  public void registerSelf() {}

  @Override
  public boolean siteIsUp() {
    return Files.exists(layout.topologyCopy());
  }

  /** The host it runs on. */
  public String host() {
    return mon.name();
  }

  /**
   * The URL of the dashboard it serves on its host's loopback, while it runs and serves one: what
   * it recorded in the site's directory there.
   */
  public Optional<String> dashboardUrl() {
    ExecResult r =
        driver.exec(
            mon.name(),
            List.of(
                "sh",
                "-c",
                "systemctl is-active --quiet "
                    + SystemdUnitRenderer.unitName(NAME)
                    + " && cat "
                    + layout.dashboardUrl()),
            null,
            SHORT);
    return r.ok() && !r.stdout().isBlank() ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  /** How long {@link #awaitDashboard} gives a controller that has just started. */
  static final Duration DASHBOARD_WITHIN = Duration.ofSeconds(60);

  /**
   * Returns once the dashboard answers HTTPS on its host's loopback {@code port}, asked from that
   * host every half second against the site CA there, which issued its certificate. A controller
   * that has just started again (reload and scale pause it) has its unit active and its last URL on
   * file before its server listens, and a forward then would hand the operator connections that
   * close at once (SshTestbedIT saw curl's 000).
   */
  public void awaitDashboard(int port, Poll poll) {
    List<String> probe =
        Readiness.answers(
                "https://127.0.0.1:" + port + "/", Optional.of(layout.caDir().resolve("ca.crt")))
            .command();
    if (!poll.within(
        DASHBOARD_WITHIN,
        Duration.ofMillis(500),
        () -> driver.exec(mon.name(), probe, null, SHORT).ok())) {
      throw WebinfraException.unexpectedState(
          "host "
              + mon.name()
              + ": the controller's dashboard did not answer on 127.0.0.1:"
              + port
              + " within "
              + DASHBOARD_WITHIN.toSeconds()
              + " s (see webinfra exec --lab "
              + t.lab()
              + " "
              + mon.name()
              + " -- journalctl -u webinfra-controller)");
    }
  }

  /**
   * Forwards {@code localPort} on this machine's loopback to {@code remotePort} on its host's, over
   * the operator's SSH, for as long as the returned process lives.
   */
  public Process forward(int localPort, int remotePort) {
    return driver.forward(mon.name(), localPort, remotePort);
  }

  /**
   * The controller's entries in this machine's event log, without stopping it: what {@code events}
   * shows.
   */
  public void refreshEvents() {
    try {
      if (systemd.wasStarted(spec())) {
        mergeEvents(fetch(List.of("events.log")));
      }
    } catch (WebinfraException e) {
      say.accept("site " + t.lab() + ": the controller's events not read: " + e.getMessage());
    }
  }

  private void mergeEvents(byte[] tar) {
    if (tar.length == 0) {
      return;
    }
    Path events = layout.eventLog();
    mergeInto(events, read(events), readFrom(tar, "events.log"));
  }

  // The entries of both logs, each once, oldest first (a stable sort: one side's order holds).
  static String merged(String a, String b) {
    LinkedHashSet<String> lines = new LinkedHashSet<>();
    a.lines().filter(l -> !l.isBlank()).forEach(lines::add);
    b.lines().filter(l -> !l.isBlank()).forEach(lines::add);
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(java.util.Comparator.comparing(ServerController::time));
    return sorted.isEmpty() ? "" : String.join("\n", sorted) + "\n";
  }

  private static final java.util.regex.Pattern TIME =
      java.util.regex.Pattern.compile("\"time\"\\s*:\\s*\"([^\"]+)\"");

  // An entry's time; a line without one (cut by a crash) goes last.
  private static Instant time(String line) {
    java.util.regex.Matcher m = TIME.matcher(line);
    try {
      return m.find() ? Instant.parse(m.group(1)) : Instant.MAX;
    } catch (RuntimeException e) {
      return Instant.MAX;
    }
  }

  private static void mergeInto(Path events, String here, String there) {
    String all = merged(here, there);
    if (all.equals(here)) {
      return;
    }
    try {
      Files.createDirectories(events.getParent());
      Path tmp = events.resolveSibling(events.getFileName() + ".tmp");
      Files.writeString(tmp, all);
      Files.move(
          tmp,
          events,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "event log " + events + ": cannot merge the controller's: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readFrom(byte[] tar, String name) {
    return StateTar.entry(tar, name).orElse("");
  }

  // The entries of the site's directory on the monitoring host, as a tar; empty if it has none.
  private byte[] fetch(List<String> entries) {
    StringBuilder s =
        new StringBuilder("cd " + layout.labDir() + " 2>/dev/null || exit 0; set --; for e in");
    entries.forEach(e -> s.append(' ').append(e));
    s.append("; do [ -e \"$e\" ] && set -- \"$@\" \"$e\"; done; [ $# -gt 0 ] || exit 0;")
        .append(" tar -cf - \"$@\" | base64 -w0");
    ExecResult r = driver.exec(mon.name(), List.of("sh", "-c", s.toString()), null, SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + mon.name() + ": cannot read the controller's state: " + r.describe());
    }
    return Base64.getDecoder().decode(r.stdout().strip());
  }

  // The site's state, sent whole: what is there of it is replaced.
  private void send() {
    byte[] tar = staged();
    exec(
        "receive the site's state",
        "cd "
            + layout.labDir()
            + " && rm -rf state controller.pid && base64 -d | tar -xf - && chmod -R go= secrets"
            + " 2>/dev/null;"
            + " true",
        Base64.getEncoder().encodeToString(tar));
  }

  // What is sent, as the monitoring host reads it: relative paths of the topology are relative to
  // the site's directory there, and a certificate and key from files travel with it.
  private byte[] staged() {
    Path stage = null;
    try {
      stage = Files.createTempDirectory("webinfra-controller-");
      StateTar.unpack(StateTar.pack(layout.labDir(), SENT), stage, List.of());
      Files.writeString(stage.resolve("topology.base"), layout.labDir() + "\n");
      List<String> entries = new ArrayList<>(SENT);
      entries.add("topology.base");
      boolean tlsFiles = t.tls().mode() == dev.webinfra.topology.Tls.Mode.FILES;
      if (tlsFiles) {
        Files.writeString(stage.resolve("tls.crt"), t.tls().cert().orElseThrow().text());
        Files.writeString(stage.resolve("tls.key"), t.tls().key().orElseThrow().text());
        entries.addAll(List.of("tls.crt", "tls.key"));
      }
      Files.writeString(
          stage.resolve("topology.yaml"),
          forController(
              Files.readString(stage.resolve("topology.yaml")),
              key(layout),
              knownHosts(layout),
              tlsFiles));
      Files.deleteIfExists(stage.resolve("controller.pid"));
      return StateTar.pack(stage, entries);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "site " + t.lab() + ": cannot stage its state for the controller: " + e.getMessage(), e);
    } finally {
      if (stage != null) {
        try {
          dev.webinfra.host.Trees.delete(stage);
        } catch (IOException e) {
          // A temporary directory left: nothing of the site's.
        }
      }
    }
  }

  /**
   * {@code topology}'s text as the controller reads it where it runs: every server reached with the
   * controller's {@code key} and {@code knownHosts}, and, with {@code tlsFiles}, the certificate
   * and key at {@code tls.crt} and {@code tls.key} beside it.
   */
  @SuppressWarnings("unchecked")
  static String forController(String topology, Path key, Path knownHosts, boolean tlsFiles) {
    com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml =
        com.fasterxml.jackson.dataformat.yaml.YAMLMapper.builder()
            .disable(
                com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(
                com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature
                    .ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    try {
      Map<String, Object> doc =
          yaml.readValue(
              topology,
              new com.fasterxml.jackson.core.type.TypeReference<
                  java.util.LinkedHashMap<String, Object>>() {});
      Map<String, Object> shared =
          (Map<String, Object>) doc.computeIfAbsent("ssh", k -> new java.util.LinkedHashMap<>());
      shared.put("identity", key.toString());
      shared.put("known_hosts", knownHosts.toString());
      if (doc.get("hosts") instanceof Map<?, ?> hosts) {
        for (Object body : hosts.values()) {
          if (body instanceof Map<?, ?> b && b.get("ssh") instanceof Map<?, ?> ssh) {
            ((Map<String, Object>) ssh).remove("identity");
          }
        }
      }
      if (tlsFiles) {
        Map<String, Object> tls = (Map<String, Object>) doc.get("tls");
        tls.put("cert", "tls.crt");
        tls.put("key", "tls.key");
      }
      return yaml.writeValueAsString(doc);
    } catch (IOException | RuntimeException e) {
      throw WebinfraException.unexpectedState(
          "topology: cannot rewrite it for the controller: " + e.getMessage(), e);
    }
  }

  private void exec(String what, String script) {
    exec(what, script, null);
  }

  private void exec(String what, String script, String stdin) {
    ExecResult r = driver.exec(mon.name(), List.of("sh", "-c", script), stdin, SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + mon.name() + ": cannot " + what + ": " + r.describe());
    }
  }
}
