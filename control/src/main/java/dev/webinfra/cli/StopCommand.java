package dev.webinfra.cli;

import dev.webinfra.lab.Lab;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stop HOST}: cuts a host like a power loss. */
@Command(
    name = "stop",
    description = "Cut a host like a power loss: all its processes killed at once, its links down.")
public final class StopCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST")
  String host;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Lab l = lab.open("stop", spec.commandLine().getOut());
    Operator.record(l, host, "OperatorStop", "webinfra stop " + host + ": power cut");
    l.stopHost(host);
    return 0;
  }
}
