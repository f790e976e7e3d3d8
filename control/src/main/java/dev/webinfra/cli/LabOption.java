package dev.webinfra.cli;

import dev.webinfra.host.SiteLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.lab.Labs;
import dev.webinfra.setup.Privileges;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --lab} option shared by the verbs that act on a running lab. */
public final class LabOption {
  @Option(
      names = "--lab",
      paramLabel = "NAME",
      description =
          "The lab to act on (default: the only lab up; with more than one up, name one), or a"
              + " site of servers that up brought up from this machine.")
  String lab;

  /** The named lab, else the current one. */
  public String resolve() {
    return Labs.resolve(lab);
  }

  /**
   * Where the site acted on keeps its state on this machine (its event log, its topology): a site
   * of servers named by {@code --lab}, else the lab.
   */
  public SiteLayout layout() {
    return LabDrivers.siteLayout(lab);
  }

  /**
   * The site of servers that {@code --lab} names, if it names one that up brought up from this
   * machine. A site of servers is named: it is never "the only lab up" of this machine.
   */
  public Optional<Lab> servers(PrintWriter out) {
    return lab == null
        ? Optional.empty()
        : LabDrivers.serverSite(lab, out, Poll.system(), Home.controlJar());
  }

  /** The running lab, for a verb that needs root to act on it. */
  public Lab open(String verb, PrintWriter out) {
    Optional<Lab> servers = servers(out);
    if (servers.isPresent()) {
      return servers.get();
    }
    String name = resolve();
    Privileges.requireRoot(verb);
    return LabDrivers.LAB.lab(Labs.topology(name), LabDrivers.LAB.layout(name), out, Poll.system());
  }
}
