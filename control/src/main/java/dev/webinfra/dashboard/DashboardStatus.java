package dev.webinfra.dashboard;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the top of the dashboard shows: every host with its daemons' states, which load balancer
 * holds the floating IP, the database primaries and replicas' lag, and the open incidents.
 *
 * @param lab the lab's name
 * @param site the site's URL
 * @param hosts every host, in topology order
 * @param vipHolder the load balancer holding the floating IP, or null (none, or no floating IP)
 * @param dbPrimaries the hosts that take writes
 * @param replicas each asynchronous replica and its lag
 * @param alerts the alerts Prometheus fires, every one (in the JSON; the page shows incidents)
 * @param incidents the open incidents, oldest first, then those resolved recently, latest first
 */
public record DashboardStatus(
    String lab,
    String site,
    List<HostState> hosts,
    String vipHolder,
    List<String> dbPrimaries,
    List<ReplicaLag> replicas,
    List<Alert> alerts,
    List<Incident> incidents) {

  /** The states a host or daemon can be drawn in. */
  public static final List<String> STATES = List.of("up", "starting", "down", "stopped");

  /** One host: its own state and each daemon's, by daemon name. */
  public record HostState(String name, String state, Map<String, String> daemons) {
    public HostState {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      daemons = Map.copyOf(daemons);
    }
  }

  /**
   * A replica, the source it reports, how far behind it is (null: unknown, as when stopped), its IO
   * and SQL threads, and its state ({@code following}, {@code not following: why}, {@code unknown:
   * why}).
   */
  public record ReplicaLag(
      String host, String source, Double lagSeconds, String io, String sql, String state) {
    /** Lag only, as before the threads were read. */
    public ReplicaLag(String host, String source, Double lagSeconds) {
      this(host, source, lagSeconds, null, null, null);
    }
  }

  /** A firing alert: its name, the host it names, severity, summary and since when (ISO-8601). */
  public record Alert(
      String name, String instance, String severity, String summary, String activeAt) {}

  /**
   * An incident: one group of alerts as Alertmanager notified the controller of it, what fires in
   * it ({@code HostDown web2}), its host and kind ({@code host-down}), how many alerts, since when
   * (ISO-8601), and when it was resolved (null: open). The same fields as in {@code status --json}.
   */
  public record Incident(
      String title, String host, String incident, int alerts, String since, String resolved) {}

  public DashboardStatus {
    Objects.requireNonNull(lab, "lab");
    hosts = List.copyOf(hosts);
    dbPrimaries = List.copyOf(dbPrimaries);
    replicas = List.copyOf(replicas);
    alerts = List.copyOf(alerts);
    incidents = List.copyOf(incidents);
  }
}
