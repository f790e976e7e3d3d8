package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.lab.Lab;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logs HOST [COMPONENT]}: the last lines of a host's daemon logs. */
@Command(
    name = "logs",
    description =
        "Show the logs of a host's components (the last lines of each; on a server, its"
            + " journal too).")
public final class LogsCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST")
  String host;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "COMPONENT",
      description = "A daemon of the host, e.g. nginx, app, mariadb, haproxy.")
  String component;

  @Option(
      names = {"-n", "--lines"},
      defaultValue = "50",
      description = "Lines per log (default: ${DEFAULT-VALUE}).")
  int lines;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Lab l = lab.open("logs", spec.commandLine().getErr());
    Topology t = l.topology();
    Host h =
        t.host(host)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "host "
                            + host
                            + ": not in "
                            + (t.onServers() ? "site " : "lab ")
                            + t.lab()));
    List<DaemonUnit> units = Units.on(t, h);
    if (component != null) {
      units = units.stream().filter(u -> u.name().equals(component)).toList();
      if (units.isEmpty()) {
        throw WebinfraException.invalidInput(
            "host "
                + host
                + ": has no component '"
                + component
                + "'; it has: "
                + String.join(", ", Units.on(t, h).stream().map(DaemonUnit::name).toList()));
      }
    }
    for (DaemonUnit u : units) {
      DaemonSpec d = u.spec(t, h, l.driver().paths(host));
      for (Supervisor.Log log : l.runner().logs(d, lines)) {
        out.println("==> " + host + "/" + u.name() + ": " + log.source() + " <==");
        log.lines().forEach(out::println);
      }
    }
    out.flush();
    return 0;
  }
}
