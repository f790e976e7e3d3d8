package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.lab.Lab;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code exec HOST -- CMD...}: runs a command inside a host; its exit code is the command's. */
@Command(
    name = "exec",
    description =
        "Run a command inside a host of the lab, or on a server over SSH, e.g. exec client --"
            + " curl -s http://www.foobar.com/")
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

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Lab l = lab.open("exec", spec.commandLine().getErr());
    var t = l.topology();
    if (t.host(host).isEmpty()) {
      throw WebinfraException.invalidInput(
          "host "
              + host
              + ": not in "
              + (t.onServers() ? "site " : "lab ")
              + t.lab()
              + "; hosts: "
              + String.join(", ", t.hosts().stream().map(h -> h.name()).toList()));
    }
    return l.driver().execInteractive(host, command);
  }
}
