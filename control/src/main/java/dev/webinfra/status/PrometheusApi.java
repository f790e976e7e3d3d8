package dev.webinfra.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.prometheus.PrometheusUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prometheus's HTTP API on a lab's monitoring host. The machine is not on the lab's private
 * network, so each request is a {@code curl} run inside the monitoring host itself.
 */
public final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HostDriver driver;
  private final Optional<Host> monitor;

  public PrometheusApi(Topology t, HostDriver driver) {
    this.driver = driver;
    this.monitor = t.hostsWith(Role.MONITOR).stream().findFirst();
  }

  /** Whether the lab has a monitoring host at all. */
  public boolean present() {
    return monitor.isPresent();
  }

  /** The body of {@code GET path} (with its query), or empty when Prometheus does not answer. */
  public Optional<String> get(String pathAndQuery) {
    if (monitor.isEmpty() || !driver.isUp(monitor.get().name())) {
      return Optional.empty();
    }
    ExecResult r =
        driver.exec(
            monitor.get().name(),
            List.of(
                "curl", "-sf", "--max-time", "3", PrometheusUnit.url(monitor.get()) + pathAndQuery),
            null,
            Duration.ofSeconds(5));
    return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
  }

  /** {@code /api/v1/query_range} for {@code query}, as Prometheus answers it. */
  public Optional<String> queryRange(String query, Instant start, Instant end, int stepSeconds) {
    return get(
        "/api/v1/query_range?query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8)
            + "&start="
            + start.getEpochSecond()
            + "&end="
            + end.getEpochSecond()
            + "&step="
            + stepSeconds);
  }

  /**
   * The alerts firing now, or empty when Prometheus cannot be asked (no monitoring host, or it is
   * down): not knowing is not the same as none firing.
   */
  public Optional<List<LabStatus.Alert>> firingAlerts() {
    return get("/api/v1/alerts").flatMap(PrometheusApi::parseAlerts);
  }

  /** The firing alerts in a {@code /api/v1/alerts} answer; pending ones are left out. */
  public static Optional<List<LabStatus.Alert>> parseAlerts(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (!"success".equals(root.path("status").asText())) {
        return Optional.empty();
      }
      List<LabStatus.Alert> out = new ArrayList<>();
      for (JsonNode a : root.path("data").path("alerts")) {
        if (!"firing".equals(a.path("state").asText())) {
          continue;
        }
        out.add(
            new LabStatus.Alert(
                a.path("labels").path("alertname").asText(),
                a.path("labels").path("instance").asText(null),
                a.path("labels").path("severity").asText(null),
                a.path("annotations").path("summary").asText(null),
                a.path("activeAt").asText(null)));
      }
      return Optional.of(List.copyOf(out));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
