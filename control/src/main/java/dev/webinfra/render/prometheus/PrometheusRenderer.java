package dev.webinfra.render.prometheus;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.render.alertmanager.AlertmanagerUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders Prometheus's config for a monitoring host: a scrape job per kind of agent with every
 * target it reaches, and the alert rules ({@link AlertRules}).
 */
public final class PrometheusRenderer {
  /** Scrape and rule evaluation interval: short, so alerts fire within seconds in a lab. */
  public static final String INTERVAL = "2s";

  private PrometheusRenderer() {}

  /** The scrape config. */
  public static Path configFile(HostPaths paths) {
    return paths.etc().resolve("prometheus.yml");
  }

  /** The alert rules. */
  public static Path rulesFile(HostPaths paths) {
    return paths.etc().resolve("prometheus-alerts.yml");
  }

  /** The files for a monitoring host. */
  public static List<RenderedFile> render(Topology t, Host monitor, HostPaths paths) {
    String config =
        Template.load("prometheus/prometheus.yml")
            .render(
                Map.of(
                    "host", monitor.name(),
                    "lab", t.lab(),
                    "interval", INTERVAL,
                    "timeout", "1500ms",
                    "rules", rulesFile(paths).toString(),
                    "alertmanager", monitor.primaryAddress() + ":" + AlertmanagerUnit.PORT,
                    "jobs", jobs(t, monitor, paths)));
    return List.of(
        RenderedFile.config(configFile(paths), config),
        RenderedFile.config(rulesFile(paths), AlertRules.render(t)));
  }

  private static String jobs(Topology t, Host monitor, HostPaths paths) {
    Map<String, List<ScrapeTargets.Target>> byJob = new LinkedHashMap<>();
    ScrapeTargets.JOBS.forEach(j -> byJob.put(j, new java.util.ArrayList<>()));
    ScrapeTargets.of(t, monitor).forEach(tg -> byJob.get(tg.job()).add(tg));
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<ScrapeTargets.Target>> e : byJob.entrySet()) {
      List<ScrapeTargets.Target> targets = e.getValue();
      if (targets.isEmpty()) {
        continue;
      }
      sb.append("  - job_name: ").append(e.getKey()).append('\n');
      if (targets.get(0).tls()) {
        // Verified against the lab CA: the servers' certificates carry their addresses.
        sb.append("    scheme: https\n")
            .append("    tls_config:\n")
            .append("      ca_file: ")
            .append(paths.caFile())
            .append('\n');
      }
      sb.append("    static_configs:\n");
      sb.append(
          targets.stream()
              .map(
                  tg ->
                      "      - targets: ['"
                          + tg.endpoint()
                          + "']\n"
                          + "        labels: {instance: "
                          + tg.host()
                          + "}")
              .collect(Collectors.joining("\n")));
      sb.append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
