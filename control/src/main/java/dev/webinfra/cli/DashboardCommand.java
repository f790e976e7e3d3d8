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
            + " which the URL carries); --open opens it in this machine's browser. A site of"
            + " servers' controller serves it on its monitoring host's loopback: this forwards it"
            + " to this machine's over SSH until ended (Ctrl-C).")
public final class DashboardCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Option(names = "--open", description = "Open it with xdg-open as well.")
  boolean open;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SiteLayout site = lab.layout();
    if (java.nio.file.Files.isRegularFile(site.topologyCopy())
        && dev.webinfra.lab.Labs.topology(site).onServers()) {
      return onServers(site);
    }
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
    return open ? browse(layout, url.get()) : 0;
  }

  // A site of servers: its dashboard forwarded here for as long as this runs.
  private int onServers(SiteLayout layout) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LabDrivers.ServerDashboard d = LabDrivers.serverDashboard(layout, out);
    // Ctrl-C ends the JVM: the forward ends with it.
    Runtime.getRuntime().addShutdownHook(new Thread(d::close, "webinfra-dashboard-forward"));
    out.println(d.url());
    out.println("  trust the site CA in the browser: " + layout.caCertificate());
    out.println("  the URL holds the site's token: anyone with it sees the dashboard");
    out.println(
        "  forwarded over SSH to "
            + d.host()
            + "'s loopback, where the site's controller serves it, until this ends (Ctrl-C)");
    out.flush();
    if (open && browse(layout, d.url()) != 0) {
      d.close();
      return WebinfraException.UNEXPECTED_STATE;
    }
    int code = d.forward().waitFor();
    d.close();
    throw WebinfraException.unexpectedState(
        "host " + d.host() + ": the SSH forward of the dashboard ended (exit " + code + ")");
  }

  // A command line is visible to every user of the machine: the browser gets a 0600 file that
  // leads to the URL, never the token itself.
  private static int browse(SiteLayout layout, String url) throws Exception {
    Path launcher = LabDashboard.launcher(layout, url);
    Process p =
        new ProcessBuilder("xdg-open", launcher.toUri().toString())
            .redirectErrorStream(true)
            .inheritIO()
            .start();
    return p.waitFor() == 0 ? 0 : WebinfraException.UNEXPECTED_STATE;
  }
}
