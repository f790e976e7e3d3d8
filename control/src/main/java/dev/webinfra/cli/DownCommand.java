package dev.webinfra.cli;

import dev.webinfra.lab.Lab;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.setup.Privileges;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code down}: removes every namespace, link, process, mount and file of the lab. */
@Command(
    name = "down",
    description =
        "Take the lab down and remove everything webinfra made for it, even after a crash.")
public final class DownCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TOPOLOGY",
      description =
          "Servers over SSH: their topology file, whose servers webinfra takes everything it"
              + " installed off (packages stay); --lab NAME does the same for a site that up"
              + " brought up from this machine. A lab's file names its lab.")
  Path topology;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (topology != null) {
      Topology t = TopologyLoader.load(topology);
      if (t.onServers()) {
        try (LabDrivers.ServerSite site =
            LabDrivers.servers(
                t, spec.commandLine().getOut(), Poll.system(), false, Home.controlJar())) {
          site.lab().downSite();
        }
        return 0;
      }
      Privileges.requireRoot("down");
      Lab.down(t.lab(), spec.commandLine().getOut());
      return 0;
    }
    Optional<Lab> servers = lab.servers(spec.commandLine().getOut());
    if (servers.isPresent()) {
      servers.get().downSite();
      return 0;
    }
    String name = lab.resolve();
    Privileges.requireRoot("down");
    Lab.down(name, spec.commandLine().getOut());
    return 0;
  }
}
