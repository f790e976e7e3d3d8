package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.host.DpkgQuery;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.SiteFabric;
import dev.webinfra.host.SystemUser;
import dev.webinfra.host.Trees;
import dev.webinfra.host.Wire;
import dev.webinfra.render.systemd.SystemdUnitRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a site of servers stands on, as webinfra makes it on each server before its daemons start:
 * the Debian packages its roles need (installed with their own services kept from starting, and
 * masked), the system users its daemons run as, webinfra's Java runtime and control jar where a
 * daemon runs on Java, and the unit that loads its firewall at boot. What it installs, beside its
 * own directories and units, is listed on the server in {@link #MANIFEST}, so that {@link #down}
 * removes exactly that and checks that it did. The servers' networks are the user's: nothing is
 * made of them, and a server missing one of its addresses fails {@code up} with what it lacks.
 */
public final class ServerFabric implements SiteFabric {
  /** What webinfra installed on a server beyond its own directories: one "kind name" a line. */
  static final Path MANIFEST = Path.of("/var/lib/webinfra/installed");

  /** The unit that loads the host's nftables ruleset at boot. */
  static final String FIREWALL_UNIT = "webinfra-firewall.service";

  private static final Path POLICY_RC_D = Path.of("/usr/sbin/policy-rc.d");
  private static final Path DPKG_INFO = Path.of("/var/lib/dpkg/info");
  private static final List<Path> DIRS =
      List.of(
          Path.of("/etc/webinfra"),
          Path.of("/var/lib/webinfra"),
          Path.of("/var/log/webinfra"),
          SshHostDriver.BASE);
  // The firewall's own package: its unit loads the administrator's /etc/nftables.conf and stays.
  private static final Set<String> KEEP_SERVICES_OF = Set.of("nftables");
  private static final Duration SHORT = Duration.ofSeconds(30);

  private final Topology topology;
  private final SshHostDriver driver;
  private final ServerLayout layout;
  private final Consumer<String> progress;
  private final Function<Host, List<DaemonSpec>> specs;
  private final Function<Host, List<String>> packages;
  private final ShippedJava shipped;
  private final Set<String> removedUsers = Collections.synchronizedSet(new LinkedHashSet<>());

  /**
   * The fabric of {@code topology}'s servers, reached by {@code driver}; {@code specs} and {@code
   * packages} say what each server runs and needs installed, and {@code shipped} is webinfra's own
   * code to install where it runs.
   */
  public ServerFabric(
      Topology topology,
      SshHostDriver driver,
      ServerLayout layout,
      Consumer<String> progress,
      Function<Host, List<DaemonSpec>> specs,
      Function<Host, List<String>> packages,
      ShippedJava shipped) {
    this.topology = topology;
    this.driver = driver;
    this.layout = layout;
    this.progress = progress;
    this.specs = specs;
    this.packages = packages;
    this.shipped = shipped;
  }

  @Override
  public List<Wire> wiring(Topology t) {
    return ServerWiring.of(t, driver);
  }

  /**
   * Nothing: the operator's machine is none of the site's hosts, and the servers open no connection
   * to it.
   */
  @Override
  public void guardMachine(Topology t) {}

  @Override
  public void ensure(Topology t, Set<String> stopped) {
    // A test bed's machine whose power was cut (stop HOST) boots again first.
    t.hosts().stream().filter(h -> !stopped.contains(h.name())).forEach(h -> powerOn(t, h.name()));
    List<Wire> missing =
        ServerWiring.of(t, driver).stream()
            .filter(w -> w.kind() == Wire.Kind.HOST && !w.present())
            .toList();
    if (!missing.isEmpty()) {
      Wire w = missing.get(0);
      throw WebinfraException.invalidInput(
          "host " + w.name() + ": " + w.missing() + "; fix the topology's addresses or the server");
    }
    List<Host> hosts = t.hosts().stream().filter(h -> !stopped.contains(h.name())).toList();
    eachHost(hosts, this::prepare);
  }

  @Override
  public void powerOn(Topology t, String host) {
    driver
        .power()
        .filter(power -> !power.isOn(host))
        .ifPresent(
            power -> {
              progress.accept("host " + host + ": powering on");
              power.on(host);
            });
  }

  // One survey first (ServerSurvey): on a server that has everything, that is all. Then the
  // packages: a host whose apt fails gets nothing more. The other steps do not depend on one
  // another, and run at once.
  private void prepare(Host h) {
    String host = h.name();
    List<String> wanted = packages.apply(h);
    List<String> maskable = wanted.stream().filter(p -> !KEEP_SERVICES_OF.contains(p)).toList();
    List<DaemonSpec> daemons = specs.apply(h);
    HostPaths p = HostPaths.server();
    boolean onJava = daemons.stream().anyMatch(d -> d.command().get(0).equals(p.java().toString()));
    boolean needsJar = daemons.stream().anyMatch(d -> d.command().contains(p.control().toString()));
    boolean walled = h.settings().firewall().enabled();
    Optional<Host> mon = daemons.isEmpty() ? Optional.empty() : ServerController.host(topology);
    Optional<ServerSurvey.Key> key =
        mon.map(
            m -> {
              String user = h.ssh().orElseThrow().user();
              return new ServerSurvey.Key(
                  user,
                  ServerController.authorizedLine(m, ServerController.publicKey(layout)),
                  "ssh-key " + user);
            });
    ServerSurvey.Ask ask =
        new ServerSurvey.Ask(
            MANIFEST,
            wanted,
            maskable,
            DPKG_INFO,
            SystemdUnitRenderer.UNIT_DIR,
            users(daemons),
            onJava ? Optional.of(ServerRuntime.STAMP_FILE) : Optional.empty(),
            needsJar ? Optional.of(p.control()) : Optional.empty(),
            walled
                ? Optional.of(SystemdUnitRenderer.UNIT_DIR.resolve(FIREWALL_UNIT))
                : Optional.empty(),
            key);
    ServerSurvey seen = survey(host, ask);
    List<String> missing = DpkgQuery.missing(wanted, seen.packages());
    if (!missing.isEmpty()) {
      installPackages(host, missing);
      // Asked again: a package's own script may have made one of the users (prometheus), and
      // the new packages' services are to be masked.
      seen = survey(host, ask);
    }
    maskServices(host, maskable, seen.units());
    ServerSurvey s = seen;
    List<Runnable> steps = new ArrayList<>();
    List<String> absent = users(daemons).stream().filter(u -> !s.users().contains(u)).toList();
    if (!absent.isEmpty()) {
      steps.add(() -> absent.forEach(u -> createUser(host, u)));
    }
    if (onJava && !shipped.runtimeCurrent(s.runtimeStamp())) {
      steps.add(() -> shipped.runtime(host));
    }
    if (needsJar && !shipped.controlJarCurrent(s.controlJarSum())) {
      steps.add(() -> shipped.controlJar(host));
    }
    if (walled && !s.firewallUnit().equals(Optional.of(firewallUnitText(host)))) {
      steps.add(() -> firewallUnit(host));
    }
    if (key.isPresent() && !s.controllerKey()) {
      steps.add(() -> authorizeController(h, mon.get(), key.get()));
    }
    allOf(steps, Runnable::run);
  }

  private ServerSurvey survey(String host, ServerSurvey.Ask ask) {
    ExecResult r = driver.exec(host, ServerSurvey.command(ask), null, SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": cannot look at what it has (making "
              + MANIFEST.getParent()
              + " first): "
              + r.describe());
    }
    return ServerSurvey.parse(r.stdout());
  }

  // The site's controller, on its monitoring host, reaches each server with a daemon over SSH with
  // its own key (the key's line), as the user the operator logs in as.
  private void authorizeController(Host h, Host mon, ServerSurvey.Key key) {
    String user = key.user();
    record(h.name(), key.record());
    ExecResult r =
        driver.exec(
            h.name(),
            List.of(
                "sh",
                "-c",
                HOME
                    + " f=\"$home/.ssh/authorized_keys\"; grep -qxF -- \"$2\" \"$f\" 2>/dev/null &&"
                    + " exit 0; [ -d \"$home/.ssh\" ] || install -d -m 700 -o \"$1\" -g \"$(id -g"
                    + " \"$1\")\" \"$home/.ssh\" || exit 1; [ -e \"$f\" ] || install -m 600 -o"
                    + " \"$1\" -g \"$(id -g \"$1\")\" /dev/null \"$f\" || exit 1; sed -i \"/"
                    + " $3\\$/d\" \"$f\" && printf '%s\\n' \"$2\" >> \"$f\"",
                "authorize",
                user,
                key.line(),
                ServerController.marker(topology.lab())),
            null,
            SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + h.name()
              + ": cannot let the controller on "
              + mon.name()
              + " in ("
              + user
              + "'s authorized_keys): "
              + r.describe());
    }
  }

  // Sets $home to the home of user $1, or fails.
  private static final String HOME =
      "home=$(getent passwd \"$1\" | cut -d: -f6); [ -n \"$home\" ] || { echo \"no home for"
          + " $1\" >&2; exit 1; };";

  private static List<String> users(List<DaemonSpec> daemons) {
    return daemons.stream()
        .map(DaemonSpec::user)
        .filter(u -> u != null && !u.equals("root"))
        .distinct()
        .toList();
  }

  // Installed with a policy-rc.d that forbids every start (invoke-rc.d's "action forbidden"), then
  // the packages' own services are disabled and masked: webinfra's units run the daemons, with
  // webinfra's configs, and a package's unit on the same port would fight them after a reboot.
  private void installPackages(String host, List<String> missing) {
    progress.accept("host " + host + ": installing " + String.join(" ", missing));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "set -e; own=; if [ ! -e "
                    + POLICY_RC_D
                    + " ]; then own=1; printf '#!/bin/sh\\nexit 101\\n' > "
                    + POLICY_RC_D
                    + "; chmod 755 "
                    + POLICY_RC_D
                    + "; fi; trap '[ -z \"$own\" ] || rm -f "
                    + POLICY_RC_D
                    + "' EXIT; export DEBIAN_FRONTEND=noninteractive; apt-get update -q"
                    + " </dev/null >/dev/null 2>&1 || true; apt-get install -y -q"
                    + " --no-install-recommends -o Dpkg::Options::=--force-confdef -o"
                    + " Dpkg::Options::=--force-confold \"$@\" </dev/null 2>&1",
                "install"));
    cmd.addAll(missing);
    ExecResult r = driver.exec(host, cmd, null, Duration.ofMinutes(15));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": apt-get install "
              + String.join(" ", missing)
              + " failed ("
              + lastLine(r)
              + "); check the server's apt sources and network, or install them by hand");
    }
  }

  private static String lastLine(ExecResult r) {
    List<String> lines =
        (r.stdout() + "\n" + r.stderr()).lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "exit " + r.exitCode() : lines.get(lines.size() - 1).strip();
  }

  /**
   * Lists the service units that packages ship: {@code PACKAGE UNIT STATE} a line, STATE {@code
   * masked} when the unit directory links it to /dev/null. Its arguments: dpkg's info directory,
   * systemd's unit directory in /etc, then the packages. One grep reads every package's file list
   * (Multi-Arch ones are named PACKAGE:ARCH.list), and no command is started for each unit: a grep
   * a package and a readlink a unit took two seconds of every up on a busy server.
   */
  static final String PACKAGE_UNITS =
      "info=$1 etc=$2; shift 2; cd \"$info\" || exit 1; set -- $(for p; do for l in \"$p.list\""
          + " \"$p\":*.list; do [ -e \"$l\" ] && echo \"$l\"; done; done); [ $# -gt 0 ] || exit 0;"
          + " grep -HE '^(/usr)?/lib/systemd/system/[^/@]+[.]service$' \"$@\" | while IFS= read -r"
          + " line; do l=${line%%:/*}; f=${line#\"$l\":}; p=${l%.list}; p=${p%%:*};"
          + " [ -L \"$f\" ] && continue; u=${f##*/}; s=unmasked; [ \"$etc/$u\" -ef /dev/null ] &&"
          + " s=masked; echo \"$p $u $s\"; done";

  // The packages' service units that are not masked yet, as listed by PACKAGE_UNITS (in the
  // survey, or on its own where the survey's listing failed: a link to /dev/null is what systemctl
  // mask makes, and asking systemctl for each unit took seconds on a busy server; a dpkg-query -L
  // for each package read dpkg's whole database each time), then masked in one more command. An
  // alias the package ships as a link to its unit (garbd.service to garb.service) goes with that
  // unit.
  private void maskServices(String host, List<String> pkgs, Optional<String> listed) {
    if (pkgs.isEmpty()) {
      return;
    }
    String units = listed.orElseGet(() -> packageUnits(host, pkgs));
    Map<String, String> unmasked = new LinkedHashMap<>();
    for (String line : units.lines().toList()) {
      String[] f = line.strip().split(" ");
      if (f.length >= 2 && !(f.length >= 3 && f[2].equals("masked"))) {
        unmasked.putIfAbsent(f[1], f[0]);
      }
    }
    if (unmasked.isEmpty()) {
      return;
    }
    // Listed before they are masked: down unmasks what the manifest lists, and unmasking a unit
    // that a failed mask left alone does no harm.
    record(host, unmasked.keySet().stream().map(unit -> "masked " + unit).toList());
    // One at a time, each looked at again first: masking a unit can mask its aliases too (garbd's
    // package ships garb.service and its alias garbd.service), and masking an alias whose link is
    // in /etc fails ("already exists"). systemd reads them all again once, after the last (each
    // mask's own reload took seconds on a busy server), and stops any that ran.
    List<String> mask =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "for u in \"$@\"; do [ \"$(systemctl is-enabled \"$u\" 2>/dev/null)\" = masked ]"
                    + " && continue; systemctl mask --no-reload --quiet \"$u\" || exit 1;"
                    + " echo \"$u\"; done; systemctl daemon-reload && systemctl stop \"$@\"",
                "mask"));
    mask.addAll(unmasked.keySet());
    ExecResult r = driver.exec(host, mask, null, Duration.ofMinutes(2));
    r.stdout()
        .lines()
        .map(String::strip)
        .filter(unmasked::containsKey)
        .forEach(
            unit ->
                progress.accept(
                    "host " + host + ": " + unit + " (package " + unmasked.get(unit) + ") masked"));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": cannot mask the packages' own services ("
              + String.join(" ", unmasked.keySet())
              + "): "
              + r.describe());
    }
  }

  private String packageUnits(String host, List<String> pkgs) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                PACKAGE_UNITS,
                "units",
                DPKG_INFO.toString(),
                SystemdUnitRenderer.UNIT_DIR.toString()));
    cmd.addAll(pkgs);
    ExecResult found = driver.exec(host, cmd, null, SHORT);
    if (!found.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot list the services of its packages: " + found.describe());
    }
    return found.stdout();
  }

  private void createUser(String host, String user) {
    ExecResult r = driver.exec(host, SystemUser.useradd(user), null, SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot create system user " + user + ": " + r.describe());
    }
    record(host, "user " + user);
    progress.accept("host " + host + ": system user " + user + " created");
  }

  // Appended before anything else reads it: what a crash leaves half-made is listed all the same.
  private void record(String host, String line) {
    record(host, List.of(line));
  }

  // Adds each line the manifest lacks, in one command.
  private void record(String host, List<String> lines) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "f=$1; shift; for l; do grep -qxF -- \"$l\" \"$f\" 2>/dev/null || echo \"$l\" >>"
                    + " \"$f\" || exit 1; done",
                "record",
                MANIFEST.toString()));
    cmd.addAll(lines);
    ExecResult r = driver.exec(host, cmd, null, SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": cannot record '"
              + String.join("', '", lines)
              + "' in "
              + MANIFEST
              + ": "
              + r.describe());
    }
  }

  // The unit that loads host's ruleset at boot.
  private static String firewallUnitText(String host) {
    Path rules = HostPaths.server().etc().resolve("nftables.conf");
    return "# webinfra: loads host "
        + host
        + "'s firewall at boot; written by webinfra, edits are overwritten.\n"
        + "[Unit]\n"
        + "Description=webinfra: the nftables ruleset of "
        + host
        + "\n"
        + "Wants=network-pre.target\n"
        + "Before=network-pre.target\n"
        + "DefaultDependencies=no\n"
        + "After=local-fs.target\n"
        + "ConditionPathExists="
        + rules
        + "\n\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "RemainAfterExit=yes\n"
        + "ExecStart=/usr/sbin/nft -f "
        + rules
        + "\n"
        + "ExecReload=/usr/sbin/nft -f "
        + rules
        + "\n\n"
        + "[Install]\n"
        + "WantedBy=sysinit.target\n";
  }

  // Written and enabled where the survey found it missing or different.
  private void firewallUnit(String host) {
    String unit = firewallUnitText(host);
    Path file = SystemdUnitRenderer.UNIT_DIR.resolve(FIREWALL_UNIT);
    driver.writeFile(host, file, unit, "rw-r--r--", null);
    ExecResult r =
        driver.exec(
            host,
            List.of(
                "sh",
                "-c",
                // One reload: enable's own would be a second (seconds on a busy server).
                "systemctl daemon-reload && systemctl enable --quiet --no-reload " + FIREWALL_UNIT),
            null,
            Duration.ofMinutes(2));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot enable " + FIREWALL_UNIT + ": " + r.describe());
    }
  }

  /**
   * Takes everything webinfra installed off the host, as {@code down} does off each server: units,
   * firewall table, files, users, masks and the controller's key. Its packages stay.
   */
  @Override
  public String removeHost(Topology t, String host) {
    // A server scaled in stays the user's machine: everything webinfra installed on it goes, as
    // down takes it off every server.
    clean(host);
    return "cleared of everything webinfra installed on it";
  }

  /**
   * Takes everything webinfra installed off every server: its units (stopped, disabled, deleted),
   * its firewall table, the floating IP, the system files it wrote (the distribution's come back),
   * the users it made, the masks on packages' services, and its directories. The packages stay.
   * Then this machine's record of the site goes.
   */
  @Override
  public void down() {
    eachHost(topology.hosts(), h -> clean(h.name()));
    try {
      Trees.delete(layout.labDir());
      // The last site's going takes their common directory with it, and webinfra's, when no lab
      // or test bed keeps anything there either.
      Trees.deleteIfEmpty(ServerLayout.STATE_ROOT);
      Trees.deleteIfEmpty(ServerLayout.STATE_ROOT.getParent());
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "site " + topology.lab() + ": cannot remove " + layout.labDir() + ": " + e.getMessage(),
          e);
    }
  }

  private void clean(String host) {
    List<String> manifest =
        driver.readFile(host, MANIFEST).map(s -> s.lines().toList()).orElse(List.of());
    removeUnits(host);
    run(host, "remove its firewall table", "nft delete table inet webinfra 2>/dev/null || true");
    topology
        .vip()
        .ifPresent(
            v ->
                driver.addresses(host).stream()
                    .filter(a -> a.equals(v.address().toString()))
                    .findAny()
                    .ifPresent(
                        a ->
                            run(
                                host,
                                "remove the floating IP",
                                "ip -o -4 addr show | awk '$4 ~ \"^"
                                    + a.replace(".", "\\\\.")
                                    + "/\" {print $2, $4}' | while read dev cidr; do ip addr del"
                                    + " \"$cidr\" dev \"$dev\"; done")));
    // The distribution's system files, kept before webinfra's first write, go back.
    run(
        host,
        "restore its system files",
        "cd "
            + SshHostDriver.BASE
            + " 2>/dev/null || exit 0; find . -type f | while read f; do cp -p \"$f\""
            + " \"/etc/${f#./}\"; done");
    List<String> masked = new ArrayList<>();
    for (String line : manifest) {
      String[] kv = line.split(" ", 2);
      if (kv.length < 2) {
        continue;
      }
      switch (kv[0]) {
        case "user" -> {
          run(host, "remove user " + kv[1], "userdel -- '" + kv[1] + "' 2>/dev/null || true");
          removedUsers.add(kv[1]);
        }
        case "masked" -> masked.add(kv[1]);
        case "ssh-key" -> unauthorizeController(host, kv[1]);
        default -> {}
      }
    }
    if (!masked.isEmpty()) {
      // All in one command: each unmask is a reload of systemd (seconds on a busy server).
      run(
          host,
          "unmask " + String.join(" ", masked),
          "systemctl unmask --quiet "
              + String.join(" ", masked.stream().map(u -> "'" + u + "'").toList()));
    }
    StringBuilder rm = new StringBuilder("rm -rf");
    DIRS.forEach(d -> rm.append(' ').append(d));
    run(host, "remove its directories", rm.toString());
    progress.accept("host " + host + ": webinfra's units, files and users removed");
  }

  private void unauthorizeController(String host, String user) {
    ExecResult r =
        driver.exec(
            host,
            List.of(
                "sh",
                "-c",
                HOME
                    + " f=\"$home/.ssh/authorized_keys\"; [ -e \"$f\" ] || exit 0; sed -i \"/"
                    + " $2\\$/d\" \"$f\"",
                "unauthorize",
                user,
                ServerController.marker(topology.lab())),
            null,
            SHORT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot remove the controller's key: " + r.describe());
    }
  }

  private void removeUnits(String host) {
    run(
        host,
        "remove its webinfra units",
        "units=$(cd "
            + SystemdUnitRenderer.UNIT_DIR
            + " && ls webinfra-*.service 2>/dev/null); [ -n \"$units\" ] || exit 0; systemctl"
            + " disable --no-reload --now --quiet $units 2>/dev/null; for u in $units; do rm -f "
            + SystemdUnitRenderer.UNIT_DIR
            + "/$u; done; systemctl daemon-reload; systemctl reset-failed $units 2>/dev/null;"
            + " true");
  }

  private void run(String host, String what, String script) {
    ExecResult r = driver.exec(host, List.of("sh", "-c", script), null, Duration.ofMinutes(2));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot " + what + ": " + r.describe());
    }
  }

  /**
   * webinfra's Java runtime and control jar on {@code host}, installed there first if they are not
   * (a client host runs no daemon on Java, so up installs neither there; load's visitors need both,
   * as does chaos's latency proxy wherever it runs). down removes them with the rest of {@code
   * /var/lib/webinfra}.
   */
  @Override
  public Java java(Topology t, String host) {
    HostPaths p = HostPaths.server();
    driver.mkdirs(host, MANIFEST.getParent(), null);
    shipped.runtime(host);
    shipped.controlJar(host);
    return new Java(p.java().toString(), p.control().toString());
  }

  /**
   * What webinfra left on each server: a unit file or loaded unit, a directory, its firewall table,
   * a user it made; and this machine's record of the site.
   */
  @Override
  public List<String> leftovers() {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    Set<String> users = new LinkedHashSet<>(removedUsers);
    eachHost(
        topology.hosts(),
        h -> {
          StringBuilder s =
              new StringBuilder(
                  "ls -d "
                      + SystemdUnitRenderer.UNIT_DIR
                      + "/webinfra-* 2>/dev/null; systemctl list-units --all --plain --no-legend"
                      + " 'webinfra-*' | awk '{print \"unit \" $1}'; for d in");
          DIRS.forEach(d -> s.append(' ').append(d));
          s.append("; do [ -e \"$d\" ] && echo \"$d\"; done;");
          s.append(
              " nft list table inet webinfra >/dev/null 2>&1 && echo 'nftables table inet"
                  + " webinfra';");
          for (String u : users) {
            s.append(" id -u -- '")
                .append(u)
                .append("' >/dev/null 2>&1 && echo 'user ")
                .append(u)
                .append("';");
          }
          h.ssh()
              .ifPresent(
                  ssh ->
                      s.append(" home=$(getent passwd '")
                          .append(ssh.user())
                          .append("' | cut -d: -f6); grep -qs -- ' ")
                          .append(ServerController.marker(topology.lab()))
                          .append(
                              "$' \"$home/.ssh/authorized_keys\" && echo \"the controller's key in")
                          .append(" $home/.ssh/authorized_keys\";"));
          s.append(" true");
          ExecResult r = driver.exec(h.name(), List.of("sh", "-c", s.toString()), null, SHORT);
          r.stdout()
              .lines()
              .filter(l -> !l.isBlank())
              .forEach(l -> out.add("host " + h.name() + ": " + l.strip()));
        });
    if (java.nio.file.Files.exists(layout.labDir())) {
      out.add(layout.labDir().toString());
    }
    return List.copyOf(out);
  }

  // Every server at once: one slow server does not hold the others up; the first failure is thrown
  // once all have finished, so that none is left midway.
  private void eachHost(List<Host> hosts, Consumer<Host> task) {
    allOf(hosts, task);
  }

  // Runs task for each item at once; the first failure in the items' order is thrown once all
  // have finished.
  private <T> void allOf(List<T> items, Consumer<T> task) {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (T item : items) {
        done.add(pool.submit(() -> task.accept(item)));
      }
      RuntimeException first = null;
      for (Future<?> f : done) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw WebinfraException.unexpectedState("site " + topology.lab() + ": interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
