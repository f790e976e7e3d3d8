package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.host.HostDriver;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.lab.Labs;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logs HOST [COMPONENT]}: the last lines of a host's daemon logs. */
@Command(
    name = "logs",
    description = "Show the logs of a host's components (the last lines of each).")
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
    String name = lab.resolve();
    Topology t = Labs.topology(name);
    Host h =
        t.host(host)
            .orElseThrow(
                () -> WebinfraException.invalidInput("host " + host + ": not in lab " + name));
    HostDriver driver = LabDrivers.LAB.driver(LabDrivers.LAB.layout(name));
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
    PrintWriter out = spec.commandLine().getOut();
    for (DaemonUnit u : units) {
      DaemonSpec d = u.spec(t, h, driver.paths(host));
      for (Path p : d.logs()) {
        Optional<String> text = driver.readFile(host, p);
        if (text.isEmpty()) {
          continue;
        }
        out.println("==> " + host + "/" + u.name() + ": " + p + " <==");
        List<String> all = text.get().lines().toList();
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
      }
    }
    out.flush();
    return 0;
  }
}
