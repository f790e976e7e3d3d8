package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Daemon;
import dev.webinfra.lab.Daemons;
import dev.webinfra.lab.Labs;
import dev.webinfra.plan.Component;
import dev.webinfra.plan.Planner;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
      description = "dnsmasq, mariadb, app or nginx.")
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
    List<Component> comps = Planner.components(t, h);
    if (component != null) {
      comps = comps.stream().filter(c -> c.label().equals(component)).toList();
      if (comps.isEmpty()) {
        throw WebinfraException.invalidInput(
            "host "
                + host
                + ": has no component '"
                + component
                + "'; it has: "
                + String.join(
                    ", ", Planner.components(t, h).stream().map(Component::label).toList()));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    for (Component c : comps) {
      Daemon d = Daemons.of(t, h, c, LabLayout.of(name));
      Set<Path> files = new LinkedHashSet<>(d.logs());
      files.add(d.log());
      for (Path p : files) {
        if (!Files.exists(p)) {
          continue;
        }
        out.println("==> " + host + "/" + c.label() + ": " + p + " <==");
        try {
          List<String> all = Files.readAllLines(p);
          new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()))
              .forEach(out::println);
        } catch (IOException e) {
          out.println("(cannot read: " + e.getMessage() + ")");
        }
      }
    }
    out.flush();
    return 0;
  }
}
