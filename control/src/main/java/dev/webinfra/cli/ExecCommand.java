package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.lab.Labs;
import dev.webinfra.setup.Privileges;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code exec HOST -- CMD...}: runs a command inside a host; its exit code is the command's. */
@Command(
    name = "exec",
    description =
        "Run a command inside a host of the lab, e.g. exec client -- curl -s"
            + " http://www.foobar.com/")
public final class ExecCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST", description = "The host.")
  String host;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "CMD",
      description = "The command and its arguments (after --).")
  List<String> command;

  @Override
  public Integer call() {
    String name = lab.resolve();
    Privileges.requireRoot("exec");
    var t = Labs.topology(name);
    if (t.host(host).isEmpty()) {
      throw WebinfraException.invalidInput(
          "host "
              + host
              + ": not in lab "
              + name
              + "; hosts: "
              + String.join(", ", t.hosts().stream().map(h -> h.name()).toList()));
    }
    return LabDrivers.LAB.driver(LabDrivers.LAB.layout(name)).execInteractive(host, command);
  }
}
