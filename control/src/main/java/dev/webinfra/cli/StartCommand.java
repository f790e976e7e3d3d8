package dev.webinfra.cli;

import dev.webinfra.controller.ControllerProcess;
import dev.webinfra.lab.Lab;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start HOST}: brings a stopped host back; it rejoins (an old primary as a read-only
 * replica).
 */
@Command(
    name = "start",
    description = "Bring a stopped host back; its daemons start and it rejoins the lab.")
public final class StartCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST")
  String host;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Lab l = lab.open("start", spec.commandLine().getOut());
    Operator.record(l, host, "OperatorStart", "webinfra start " + host);
    // The controller would take the host's daemons coming back for deaths and race this command.
    ControllerProcess.paused(l.layout(), () -> l.startHost(host, Home.appJar()));
    return 0;
  }
}
