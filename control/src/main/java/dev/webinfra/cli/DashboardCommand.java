package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.status.LabDashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dashboard}: where the lab's live dashboard is, and optionally open it. */
@Command(
    name = "dashboard",
    description =
        "Print the URL that opens the lab's live dashboard (served by its controller over HTTPS"
            + " with the lab CA, on this machine's loopback, to the holders of the lab's token,"
            + " which the URL carries); --open opens it in this machine's browser.")
public final class DashboardCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Option(names = "--open", description = "Open it with xdg-open as well.")
  boolean open;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String name = lab.resolve();
    SiteLayout layout = LabDrivers.LAB.layout(name);
    PrintWriter out = spec.commandLine().getOut();
    Optional<String> url = LabDashboard.urlWithToken(layout);
    if (url.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "lab "
              + name
              + ": no dashboard is served: its controller is not running (run webinfra up), or"
              + " could not serve it (see "
              + layout.labDir().resolve("controller.log")
              + ")");
    }
    out.println(url.get());
    out.println("  trust the lab CA in the browser: " + layout.caCertificate());
    out.println("  the URL holds the lab's token: anyone with it sees the dashboard");
    out.flush();
    if (open) {
      // A command line is visible to every user of the machine: the browser gets a 0600 file that
      // leads to the URL, never the token itself.
      Path launcher = LabDashboard.launcher(layout, url.get());
      Process p =
          new ProcessBuilder("xdg-open", launcher.toUri().toString())
              .redirectErrorStream(true)
              .inheritIO()
              .start();
      return p.waitFor() == 0 ? 0 : WebinfraException.UNEXPECTED_STATE;
    }
    return 0;
  }
}
