package dev.webinfra.cli;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.Labs;
import dev.webinfra.setup.Privileges;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stop HOST}: cuts a host like a power loss. */
@Command(name = "stop", description = "Cut a host like a power loss: all its processes killed at once, its links down.")
public final class StopCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST") String host;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String name = lab.resolve();
    Privileges.requireRoot("stop");
    new Lab(Labs.topology(name), LabLayout.of(name), spec.commandLine().getOut(), Clock.systemUTC()).stopHost(host);
    return 0;
  }
}
