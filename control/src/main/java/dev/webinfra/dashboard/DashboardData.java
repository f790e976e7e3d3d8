package dev.webinfra.dashboard;

import java.time.Instant;

/**
 * Where the dashboard's data comes from: the lab's state, its design drawn live, and Prometheus.
 * The controller implements it for a real lab (querying Prometheus inside the monitoring host,
 * since the controller runs outside the lab's private network); tests implement it with fixed data.
 */
public interface DashboardData {
  /** The state of the site now. */
  DashboardStatus status();

  /** The design as SVG, each host and daemon coloured by its state (see {@link LiveDiagram}). */
  String svg();

  /**
   * Prometheus's answer to {@code /api/v1/query_range} for {@code query} over [{@code start},
   * {@code end}] every {@code stepSeconds}: the JSON body as Prometheus sends it.
   */
  String queryRange(String query, Instant start, Instant end, int stepSeconds);
}
