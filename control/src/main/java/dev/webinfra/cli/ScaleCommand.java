package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.lab.Lab;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scale web=N}: adds or removes web servers while the site serves. */
@Command(
    name = "scale",
    description =
        "Add or remove web servers live (web=N): new ones join the database as replicas and both"
            + " load balancers; removed ones are drained first. Only servers beyond the topology"
            + " file's come and go: its spares (spare: true) first, then, in a lab, copies of its"
            + " last active web server.")
public final class ScaleCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "web=N", description = "The number of web servers.")
  String target;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!target.matches("web=[0-9]{1,2}")) {
      throw WebinfraException.invalidInput(
          "scale " + target + ": expected web=N with N a number, such as web=4");
    }
    int webs = Integer.parseInt(target.substring(4));
    Lab l = lab.open("scale", spec.commandLine().getOut());
    Operator.record(l, "lab", "OperatorScale", "webinfra scale " + target);
    l.controller().paused(() -> l.scale(webs, Home.appJar()));
    return 0;
  }
}
