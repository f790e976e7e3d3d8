package dev.webinfra.cli;

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
    lab.open("start", spec.commandLine().getOut()).startHost(host, Home.appJar());
    return 0;
  }
}
