package dev.webinfra.cli;

import dev.webinfra.controller.Controller;
import dev.webinfra.controller.ControllerProcess;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Labs;
import dev.webinfra.wait.Poll;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code controller}: the lab's supervising process; {@code up} starts it, nobody needs to by hand.
 */
@Command(
    name = "controller",
    hidden = true,
    description = "Run the lab's controller (started by up).")
public final class ControllerCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Override
  public Integer call() {
    String name = lab.resolve();
    LabLayout layout = LabLayout.of(name);
    ControllerProcess.register(layout);
    new Controller(Labs.topology(name), layout, Poll.system()).run();
    return 0;
  }
}
