package dev.webinfra.render.prometheus;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.render.alertmanager.AlertmanagerUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders Prometheus's config for a monitoring host: a scrape job per kind of agent with every
 * target it reaches ({@link ScrapeTargets}), and the alert rules ({@link AlertRules}).
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

  /** The files for a monitoring host that scrapes {@code targets}, in the order given. */
  public static List<RenderedFile> render(
      Topology t, Host monitor, HostPaths paths, List<ScrapeTarget> targets) {
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
                    "jobs", jobs(targets, paths)));
    return List.of(
        RenderedFile.config(configFile(paths), config),
        RenderedFile.config(rulesFile(paths), AlertRules.render(t)));
  }

  private static String jobs(List<ScrapeTarget> all, HostPaths paths) {
    Map<String, List<ScrapeTarget>> byJob = new LinkedHashMap<>();
    all.forEach(tg -> byJob.computeIfAbsent(tg.job(), j -> new ArrayList<>()).add(tg));
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<ScrapeTarget>> e : byJob.entrySet()) {
      List<ScrapeTarget> targets = e.getValue();
      ScrapeTarget first = targets.get(0);
      // Path and scheme are the job's: every target of a job is the same kind of agent.
      for (ScrapeTarget tg : targets) {
        if (!tg.path().equals(first.path()) || !tg.scheme().equals(first.scheme())) {
          throw WebinfraException.unexpectedState(
              "scrape job "
                  + e.getKey()
                  + ": targets differ in path or scheme ("
                  + first.host()
                  + ": "
                  + first.scheme()
                  + " "
                  + first.path()
                  + ", "
                  + tg.host()
                  + ": "
                  + tg.scheme()
                  + " "
                  + tg.path()
                  + ")");
        }
      }
      sb.append("  - job_name: ").append(e.getKey()).append('\n');
      if (!first.path().equals(ScrapeTarget.METRICS)) {
        sb.append("    metrics_path: ").append(first.path()).append('\n');
      }
      if (first.tls()) {
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
                          + "        labels: {"
                          + labels(tg)
                          + "}")
              .collect(Collectors.joining("\n")));
      sb.append('\n');
    }
    return sb.toString().stripTrailing();
  }

  // The instance label first, then the target's own labels by name.
  private static String labels(ScrapeTarget tg) {
    StringBuilder sb = new StringBuilder("instance: ").append(tg.host());
    new TreeMap<>(tg.labels()).forEach((k, v) -> sb.append(", ").append(k).append(": ").append(v));
    return sb.toString();
  }
}
