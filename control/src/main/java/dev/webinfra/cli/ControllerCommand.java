package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.controller.AlertNotices;
import dev.webinfra.controller.AlertWebhook;
import dev.webinfra.controller.Controller;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.lab.Labs;
import dev.webinfra.plan.ControllerPace;
import dev.webinfra.render.alertmanager.Webhook;
import dev.webinfra.site.Secrets;
import dev.webinfra.status.LabDashboard;
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

  @picocli.CommandLine.Option(
      names = "--on",
      paramLabel = "HOST",
      description =
          "Run as the controller of a site of servers, on its host HOST (its monitoring host's"
              + " webinfra-controller.service runs this).")
  String on;

  @Override
  public Integer call() {
    if (on != null) {
      return onServer();
    }
    String name = lab.resolve();
    SiteLayout layout = LabDrivers.LAB.layout(name);
    LabDrivers.LAB.controller(layout, Poll.system()).registerSelf();
    Topology t = Labs.topology(name);
    PrintWriter out = new PrintWriter(System.out, true);
    try (LabDashboard dashboard = LabDrivers.LAB.lab(t, layout, out, Poll.system()).dashboard()) {
      serve(dashboard, out);
      try (AutoCloseable webhook = alertWebhook(t, layout, out)) {
        new Controller(t, layout, Poll.system()).run();
      } catch (Exception e) {
        throw WebinfraException.unexpectedState(
            "lab " + name + ": controller: " + e.getMessage(), e);
      }
    }
    return 0;
  }

  // On the site's monitoring host, under systemd: the site's state is here, the other servers are
  // reached over SSH. Its output goes to the unit's journal.
  private Integer onServer() {
    String name = lab.lab;
    if (name == null) {
      throw WebinfraException.invalidInput("controller --on " + on + ": name the site with --lab");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    try (LabDrivers.ControllerParts parts = LabDrivers.onServer(name, on, out, Poll.system());
        LabDashboard dashboard = parts.site().dashboard()) {
      out.println(
          "site "
              + name
              + ": controller on "
              + on
              + ", looking at "
              + parts.topology().hosts().size()
              + " hosts every "
              + ControllerPace.SERVER_TICK.toMillis()
              + " ms");
      Controller c =
          new Controller(
              parts.topology(),
              parts.layout(),
              Poll.system(),
              parts.driver(),
              parts.supervisor(),
              ControllerPace.SERVER_TICK,
              true);
      serve(dashboard, out);
      try (AutoCloseable webhook = alertWebhook(parts.topology(), parts.layout(), out)) {
        // Ready: up waits for this before it says the controller runs.
        parts.registerSelf().run();
        c.run();
      } catch (Exception e) {
        throw WebinfraException.unexpectedState(
            "site " + name + ": controller: " + e.getMessage(), e);
      }
    }
    return 0;
  }

  // The site is kept up without its dashboard rather than not at all.
  private static void serve(LabDashboard dashboard, PrintWriter out) {
    try {
      out.println("dashboard: " + dashboard.start());
    } catch (WebinfraException e) {
      out.println("dashboard: not served: " + e.getMessage());
    }
  }

  /**
   * Alertmanager's receiver: in a lab at the machine's address on the monitoring host's network, on
   * a site of servers on its monitoring host's loopback; nothing when the site has no monitoring
   * host. The site is kept up without it rather than not at all.
   */
  private static AutoCloseable alertWebhook(Topology t, SiteLayout layout, PrintWriter out) {
    java.util.Optional<String> address =
        t.hostsWith(dev.webinfra.topology.Role.MONITOR).stream()
            .flatMap(m -> Webhook.listenAddress(t, m).stream())
            .findFirst();
    if (address.isEmpty()) {
      return () -> {};
    }
    try {
      String token = new Secrets(layout.secretsDir()).password(Webhook.SECRET);
      AlertWebhook w =
          AlertWebhook.start(
              address.get(),
              Webhook.PORT,
              Webhook.PATH,
              token,
              new AlertNotices(new EventLog(layout.eventLog(), java.time.Clock.systemUTC())));
      out.println("alerts: receiving on http://" + address.get() + ":" + w.port() + Webhook.PATH);
      return w;
    } catch (WebinfraException e) {
      out.println("alerts: not received: " + e.getMessage());
      return () -> {};
    }
  }
}
