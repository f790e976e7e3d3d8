package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.AppPreflight;
import dev.webinfra.host.Shell;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.setup.Privileges;
import dev.webinfra.tls.CertificateFindings;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code up [TOPOLOGY]}: brings a lab up, or converges the one that is up. */
@Command(
    name = "up",
    description =
        "Bring the lab up from a topology file (default: topologies/ha-cluster.yaml); run again to"
            + " converge.")
public final class UpCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TOPOLOGY",
      description = "The topology file.")
  Path topology;

  @Option(
      names = "--dry-run",
      description =
          "Print what up would create, change, restart or reload, and why; change nothing.")
  boolean dryRun;

  @Option(
      names = "--accept-new-host-keys",
      description =
          "Servers over SSH: accept (and add to known_hosts) the host key of a server known_hosts"
              + " lacks; a changed key is still refused.")
  boolean acceptNewHostKeys;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The time the site's certificate is checked at. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Path file = topology != null ? topology : Home.preset("ha-cluster.yaml");
    // Validate before anything else, so that a bad file starts nothing and needs no root.
    Topology t = TopologyLoader.load(file);
    if (t.onServers()) {
      return onServers(t, file);
    }
    CertificateFindings.requireServable(t, clock.instant());
    AppPreflight.ports(t);
    Privileges.requireRoot("up");
    var out = spec.commandLine().getOut();
    SiteLayout layout = LabDrivers.LAB.layout(t.lab());
    if (dryRun) {
      out.print(LabDrivers.LAB.lab(t, layout, out, Poll.system()).plan(Home.appJar()).describe());
      out.flush();
      return 0;
    }
    new HostSetup(out).ensure(appPackages(t));
    // The lab's hosts are this machine's namespaces: what its PATH and users have, they have.
    AppPreflight.programs(t, (h, program) -> onMachine(program), (h, user) -> userExists(user));
    String text = read(file);
    Lab lab = LabDrivers.LAB.lab(t, layout, out, Poll.system());
    // Faults a killed chaos left (partitions, qdiscs, proxies) go first; up revives stopped hosts.
    dev.webinfra.chaos.ChaosRun.undoLeftovers(
        new dev.webinfra.chaos.ChaosLab(lab, Home.appJar(), Poll.system()),
        line -> {
          out.println(line);
          out.flush();
        },
        false);
    // The controller would take daemons being restarted for deaths: it stops first, starts after.
    LabDrivers.LAB.controller(layout, Poll.system()).stop();
    lab.up(Home.appJar(), text, file.toAbsolutePath().getParent());
    LabDrivers.LAB.controller(layout, Poll.system()).ensureRunning();
    return 0;
  }

  // Servers over SSH: each daemon a systemd unit, what it needs installed first; the plan alone
  // with --dry-run.
  private Integer onServers(Topology t, Path file) {
    CertificateFindings.requireServable(t, clock.instant());
    var out = spec.commandLine().getOut();
    if (dryRun) {
      out.print(LabDrivers.planOnServers(t, Home.appJar(), acceptNewHostKeys).describe());
      out.flush();
      return 0;
    }
    AppPreflight.ports(t);
    String text = read(file);
    try (LabDrivers.ServerSite site =
        LabDrivers.servers(t, out, Poll.system(), acceptNewHostKeys, Home.controlJar())) {
      // As in the lab: the controller would take daemons being restarted for deaths.
      site.lab().controller().stop();
      site.lab().up(Home.appJar(), text, file.toAbsolutePath().getParent());
      // A site without a monitoring host has no controller, which says so.
      site.lab().controller().ensureRunning();
    }
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "topology " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** The Debian packages the apps of {@code t} name, each once. */
  static List<String> appPackages(Topology t) {
    return t.hostsWith(Role.APP).stream()
        .flatMap(h -> h.settings().app().packages().stream())
        .distinct()
        .toList();
  }

  // The PATH every lab daemon runs with (the lab driver's), not this process's.
  private static boolean onMachine(String program) {
    return Shell.run(
            List.of(
                "env",
                "-i",
                "PATH=" + Shell.DAEMON_PATH,
                "sh",
                "-c",
                "command -v -- \"$1\" >/dev/null",
                "sh",
                program),
            null,
            java.time.Duration.ofSeconds(10))
        .ok();
  }

  private static boolean userExists(String user) {
    return Shell.run(List.of("id", "-u", "--", user), null, java.time.Duration.ofSeconds(10)).ok();
  }
}
