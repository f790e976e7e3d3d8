package dev.webinfra.cli;

import dev.webinfra.lab.Lab;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reload [HOST…]}: applies config changes to the running daemons without a restart. */
@Command(
    name = "reload",
    description =
        "Reload HAProxy (master CLI, config checked first), nginx and keepalived on the given hosts"
            + " (default: all) with their current config, without dropping a request.")
public final class ReloadCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(arity = "0..*", paramLabel = "HOST", description = "The hosts (default: all).")
  List<String> hosts = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Lab l = lab.open("reload", spec.commandLine().getOut());
    Operator.record(
        l,
        hosts.isEmpty() ? "lab" : String.join(",", hosts),
        "OperatorReload",
        "webinfra reload " + String.join(" ", hosts));
    // Reloads keep every pid, but the controller must not see a reload's short gaps as deaths.
    l.controller().paused(() -> l.reload(hosts, Home.appJar()));
    return 0;
  }
}
