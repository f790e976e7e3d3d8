package dev.webinfra.render.alertmanager;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders Alertmanager's config for a monitoring host: the route that groups by host and incident,
 * the inhibition rules of {@code HostDown}, and the webhooks: the controller's, then the topology's
 * own ({@code monitoring.notify}).
 */
public final class AlertmanagerRenderer {
  /** How long a new group waits for more alerts before its first notification. */
  public static final String GROUP_WAIT = "4s";

  /** How long a group waits before notifying a change, such as its alerts resolving. */
  public static final String GROUP_INTERVAL = "5s";

  /** How often a group still firing is notified again. */
  public static final String REPEAT_INTERVAL = "4h";

  private AlertmanagerRenderer() {}

  /** The config file. */
  public static Path configFile(HostPaths paths) {
    return paths.etc().resolve("alertmanager.yml");
  }

  /** The bearer token Alertmanager sends to the controller: the lab's secret, 0600. */
  public static Path tokenFile(HostPaths paths) {
    return paths.etc().resolve("alertmanager-webhook.token");
  }

  /** The files for a monitoring host. */
  public static List<RenderedFile> render(Topology t, Host monitor, HostPaths paths) {
    StringBuilder hooks = new StringBuilder();
    Webhook.url(t, monitor)
        .ifPresent(
            url ->
                hooks
                    .append("      # The lab's controller: every notification goes to its event")
                    .append(" log.\n")
                    .append("      - url: ")
                    .append(url)
                    .append("\n        send_resolved: true\n")
                    .append("        http_config:\n")
                    .append("          authorization:\n")
                    .append("            type: Bearer\n")
                    .append("            credentials_file: ")
                    .append(tokenFile(paths))
                    .append('\n'));
    for (URI u : t.alerting().webhooks()) {
      hooks
          .append("      # From the topology's monitoring.notify.\n")
          .append("      - url: '")
          .append(u.toString().replace("'", "''"))
          .append("'\n        send_resolved: true\n");
    }
    String config =
        Template.load("alertmanager/alertmanager.yml")
            .render(
                Map.of(
                    "host",
                    monitor.name(),
                    "lab",
                    t.lab(),
                    "group_wait",
                    GROUP_WAIT,
                    "group_interval",
                    GROUP_INTERVAL,
                    "repeat_interval",
                    REPEAT_INTERVAL,
                    "webhooks",
                    hooks.toString().stripTrailing()));
    return List.of(RenderedFile.config(configFile(paths), config));
  }
}
