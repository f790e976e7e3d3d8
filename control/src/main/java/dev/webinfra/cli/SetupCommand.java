package dev.webinfra.cli;

import dev.webinfra.setup.HostSetup;
import dev.webinfra.setup.Privileges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code setup}: installs the Debian packages the lab needs; {@code up} does this by itself. */
@Command(
    name = "setup",
    description =
        "Install the missing Debian packages (their own services stay stopped) and the app's user.")
public final class SetupCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Privileges.requireRoot("setup");
    new HostSetup(spec.commandLine().getOut()).ensure();
    spec.commandLine()
        .getOut()
        .println("setup: all " + HostSetup.PACKAGES.size() + " packages present");
    return 0;
  }
}
