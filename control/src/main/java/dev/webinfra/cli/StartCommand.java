package dev.webinfra.cli;

import dev.webinfra.lab.Lab;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code start HOST}: brings a stopped host back; it rejoins (an old primary as a read-only
 * replica). It returns once the host's daemons are started and names what still waits (a Galera
 * member's state transfer, an app for its database); {@code --wait} returns once every daemon is
 * ready, for a script whose next step needs the host serving (a rolling restart).
 */
@Command(
    name = "start",
    description = "Bring a stopped host back; its daemons start and it rejoins the lab.")
public final class StartCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "HOST")
  String host;

  @Option(
      names = "--wait",
      description =
          "Return only once every daemon of the host is ready (a joining Galera member through its"
              + " state transfer), at most 5 minutes.")
  boolean await;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** How long {@code --wait} waits for the host's daemons. */
  static final java.time.Duration WAIT = java.time.Duration.ofMinutes(5);

  @Override
  public Integer call() {
    Lab l = lab.open("start", spec.commandLine().getOut());
    Operator.record(l, host, "OperatorStart", "webinfra start " + host);
    // The controller would take the host's daemons coming back for deaths and race this command.
    l.controller().paused(() -> l.startHost(host, Home.appJar()));
    // With the controller back: it restarts what dies meanwhile.
    if (await) {
      l.awaitReady(host, WAIT);
    }
    return 0;
  }
}
