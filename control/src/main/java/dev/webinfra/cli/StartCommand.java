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

/** {@code start HOST}: brings a stopped host back; it rejoins (an old primary as a read-only replica). */
@Command(name = "start", description = "Bring a stopped host back; its daemons start and it rejoins the lab.")
public final class StartCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST") String host;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String name = lab.resolve();
    Privileges.requireRoot("start");
    new Lab(Labs.topology(name), LabLayout.of(name), spec.commandLine().getOut(), Clock.systemUTC()).startHost(host, Home.appJar());
    return 0;
  }
}
