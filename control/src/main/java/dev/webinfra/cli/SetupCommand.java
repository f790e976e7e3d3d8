package dev.webinfra.cli;

import dev.webinfra.setup.HostSetup;
import dev.webinfra.setup.Privileges;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code setup}: installs the Debian packages the lab needs; {@code up} does this by itself. */
@Command(
    name = "setup",
    description =
        "Install the missing Debian packages (their own services stay stopped) and the app's user;"
            + " with topology files, also the packages their apps name (app.packages).")
public final class SetupCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "TOPOLOGY",
      description = "Topology files whose apps' packages to install too.")
  List<Path> topologies = List.of();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Every file is read first: a bad one installs nothing.
    List<String> extra = new ArrayList<>();
    for (Path file : topologies) {
      extra.addAll(UpCommand.appPackages(TopologyLoader.load(file)));
    }
    Privileges.requireRoot("setup");
    new HostSetup(spec.commandLine().getOut()).ensure(extra);
    spec.commandLine()
        .getOut()
        .println(
            "setup: all "
                + java.util.stream.Stream.concat(HostSetup.PACKAGES.stream(), extra.stream())
                    .distinct()
                    .count()
                + " packages present");
    return 0;
  }
}
