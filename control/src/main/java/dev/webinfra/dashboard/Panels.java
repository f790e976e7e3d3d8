package dev.webinfra.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.webinfra.WebinfraException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's graphs: each a title, a unit and its PromQL queries, fixed here so the page asks
 * for a panel by id and never sends PromQL of its own. Also turns Prometheus's matrix answers into
 * the series the page draws.
 */
public final class Panels {
  /** One query of a panel; its series are named by {@code legend}'s label, plus {@code suffix}. */
  public record Query(String promql, String legend, String suffix) {
    public Query {
      Objects.requireNonNull(promql, "promql");
      Objects.requireNonNull(legend, "legend");
      Objects.requireNonNull(suffix, "suffix");
    }
  }

  /** One graph. */
  public record Panel(String id, String title, String unit, List<Query> queries) {
    public Panel {
      queries = List.copyOf(queries);
    }
  }

  /** Every graph, in page order. */
  public static final List<Panel> ALL =
      List.of(
          new Panel(
              "requests",
              "Requests per second at the load balancers",
              "req/s",
              List.of(
                  new Query(
                      "sum by (instance)"
                          + " (rate(haproxy_frontend_http_requests_total{proxy=\"site\"}[10s]))",
                      "instance",
                      ""))),
          new Panel(
              "errors",
              "Error rate at the load balancers (5xx)",
              "%",
              List.of(
                  new Query(
                      "100 * sum by (instance)"
                          + " (rate(haproxy_frontend_http_responses_total{proxy=\"site\",code=\"5xx\"}[10s]))"
                          + " / clamp_min(sum by (instance)"
                          + " (rate(haproxy_frontend_http_responses_total{proxy=\"site\"}[10s])),"
                          + " 1e-9)",
                      "instance",
                      ""))),
          new Panel(
              "latency",
              "Latency percentiles per backend",
              "s",
              List.of(
                  new Query(
                      "histogram_quantile(0.5, sum by (instance, le)"
                          + " (rate(http_server_requests_seconds_bucket{job=\"app\"}[30s])))",
                      "instance",
                      " p50"),
                  new Query(
                      "histogram_quantile(0.99, sum by (instance, le)"
                          + " (rate(http_server_requests_seconds_bucket{job=\"app\"}[30s])))",
                      "instance",
                      " p99"))),
          new Panel(
              "share",
              "Each server's share of traffic",
              "%",
              List.of(
                  new Query(
                      "100 * sum by (server)"
                          + " (rate(haproxy_server_sessions_total{proxy=\"servers\"}[30s])) /"
                          + " scalar(clamp_min(sum(rate(haproxy_server_sessions_total{proxy=\"servers\"}[30s])),"
                          + " 1e-9))",
                      "server",
                      ""))),
          new Panel(
              "queries",
              "Database queries per second",
              "q/s",
              List.of(
                  new Query(
                      "sum by (instance) (rate(mysql_global_status_queries[30s]))",
                      "instance",
                      ""))),
          new Panel(
              "lag",
              "Replication lag",
              "s",
              List.of(
                  new Query(
                      "max by (instance) (mysql_slave_status_seconds_behind_master)",
                      "instance",
                      ""))),
          new Panel(
              "galera",
              "Galera cluster size",
              "members",
              List.of(
                  new Query(
                      "max by (instance) (mysql_global_status_wsrep_cluster_size)",
                      "instance",
                      ""))));

  private static final ObjectMapper JSON = new ObjectMapper();

  private Panels() {}

  /** The panel with this id. */
  public static Optional<Panel> byId(String id) {
    return ALL.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /**
   * Adds the series of one Prometheus {@code query_range} answer to {@code series}: {@code {name,
   * points: [[epochMillis, value], ...]}}, NaN points left out.
   */
  public static void addSeries(ArrayNode series, Query q, String prometheusJson) {
    JsonNode root;
    try {
      root = JSON.readTree(prometheusJson);
    } catch (java.io.IOException e) {
      throw WebinfraException.unexpectedState(
          "dashboard: Prometheus answered with something that is not JSON: " + e.getMessage(), e);
    }
    if (!"success".equals(root.path("status").asText())) {
      throw WebinfraException.unexpectedState(
          "dashboard: Prometheus refused query "
              + q.promql()
              + ": "
              + root.path("error").asText("no error given"));
    }
    for (JsonNode r : root.path("data").path("result")) {
      ObjectNode s = series.addObject();
      s.put("name", r.path("metric").path(q.legend()).asText("?") + q.suffix());
      ArrayNode points = s.putArray("points");
      for (JsonNode v : r.path("values")) {
        String value = v.get(1).asText();
        if (value.equals("NaN") || value.endsWith("Inf")) {
          continue;
        }
        ArrayNode p = points.addArray();
        p.add(Math.round(v.get(0).asDouble() * 1000));
        p.add(Double.parseDouble(value));
      }
    }
  }
}
