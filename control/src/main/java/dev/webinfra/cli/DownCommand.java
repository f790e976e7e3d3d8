package dev.webinfra.cli;

import dev.webinfra.lab.Lab;
import dev.webinfra.setup.Privileges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code down}: removes every namespace, link, process, mount and file of the lab. */
@Command(
    name = "down",
    description =
        "Take the lab down and remove everything webinfra made for it, even after a crash.")
public final class DownCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String name = lab.resolve();
    Privileges.requireRoot("down");
    Lab.down(name, spec.commandLine().getOut());
    return 0;
  }
}
