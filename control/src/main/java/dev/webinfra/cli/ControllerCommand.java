package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.controller.Controller;
import dev.webinfra.controller.ControllerProcess;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.LabDashboard;
import dev.webinfra.lab.Labs;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
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
    Topology t = Labs.topology(name);
    PrintWriter out = new PrintWriter(System.out, true);
    try (LabDashboard dashboard = new Lab(t, layout, out, Poll.system()).dashboard()) {
      try {
        dashboard.start();
        out.println("dashboard: " + LabDashboard.url(layout).orElse("?"));
      } catch (WebinfraException e) {
        // The lab is kept up without its dashboard rather than not at all.
        out.println("dashboard: not served: " + e.getMessage());
      }
      new Controller(t, layout, Poll.system()).run();
    }
    return 0;
  }
}
