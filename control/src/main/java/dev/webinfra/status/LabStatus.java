package dev.webinfra.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.webinfra.database.ReplicaState;
import java.util.List;

/**
 * The state of a whole lab, as {@code status --json} prints it. Later fields are added, never
 * removed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabStatus(
    String lab,
    Site site,
    List<HostStatus> hosts,
    VipStatus vip,
    DatabaseStatus database,
    List<Alert> alerts,
    Dashboard dashboard,
    List<Incident> incidents) {
  public LabStatus {
    hosts = List.copyOf(hosts);
    alerts = alerts == null ? null : List.copyOf(alerts);
    incidents = incidents == null ? null : List.copyOf(incidents);
  }

  /**
   * An incident, as Alertmanager's notifications to the controller tell it: one group of alerts (a
   * host and a kind of incident), what fires in it ({@code HostDown web2}), how many alerts, since
   * when, and when it was resolved (null: open). {@code incidents} holds the open ones oldest
   * first, then those resolved in the last 15 minutes; it is null when the lab has no monitoring
   * host.
   */
  public record Incident(
      String title, String host, String incident, int alerts, String since, String resolved) {}

  /**
   * An alert Prometheus fires: the rule's name, the host it names, its severity, summary and since
   * when (ISO-8601). {@code alerts} is null when the lab has no monitoring or Prometheus cannot be
   * asked, and empty when it answers that none fires.
   */
  public record Alert(
      String name, String instance, String severity, String summary, String since) {}

  /** Where the controller serves the lab's dashboard. */
  public record Dashboard(String url) {}

  /** Where the site is. */
  public record Site(List<String> names, String address, String url) {
    public Site {
      names = List.copyOf(names);
    }
  }

  /** The floating IP and the load balancer holding it (null when none does). */
  public record VipStatus(String address, String holder, List<String> holders) {
    public VipStatus(String address, List<String> holders) {
      this(address, holders.size() == 1 ? holders.get(0) : null, List.copyOf(holders));
    }
  }

  /**
   * The database layout as it runs: who takes writes, how far behind each replica is, and the last
   * automatic failover (null if none).
   */
  public record DatabaseStatus(
      String topology,
      List<String> primaries,
      List<ReplicaStatus> replicas,
      LastFailover last_failover,
      List<String> waiting) {
    public DatabaseStatus {
      primaries = List.copyOf(primaries);
      replicas = List.copyOf(replicas);
      waiting = waiting == null ? List.of() : List.copyOf(waiting);
    }

    /** Nothing waits. */
    public DatabaseStatus(
        String topology,
        List<String> primaries,
        List<ReplicaStatus> replicas,
        LastFailover last_failover) {
      this(topology, primaries, replicas, last_failover, List.of());
    }
  }

  /**
   * One replica, as it reports itself: its lag (null when replication is not running), the GTID
   * positions it received ({@code Gtid_IO_Pos}) and applied ({@code gtid_slave_pos}), the source it
   * actually replicates from, its IO and SQL threads, and a state: {@code following}, {@code not
   * following: why}, or {@code unknown: why} (then the other fields are null).
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReplicaStatus(
      String host,
      Long lag_seconds,
      String received_gtid,
      String applied_gtid,
      String source,
      String io_thread,
      String sql_thread,
      String state) {
    /** A replica known only by its positions (as before its threads were read). */
    public ReplicaStatus(String host, Long lag_seconds, String received_gtid, String applied_gtid) {
      this(host, lag_seconds, received_gtid, applied_gtid, null, null, null, null);
    }

    /** From what the replica itself reports; {@code source} is the member or address it names. */
    public static ReplicaStatus of(String host, ReplicaState r, String source) {
      if (!r.known()) {
        return new ReplicaStatus(
            host, null, null, null, null, null, null, "unknown: " + r.unknownWhy());
      }
      return new ReplicaStatus(
          host,
          r.behindSeconds() < 0 ? null : r.behindSeconds(),
          r.received(),
          r.applied(),
          source.isEmpty() ? null : source,
          r.io(),
          r.sql(),
          r.following() ? "following" : "not following: " + r.describe());
    }
  }

  /** The last automatic failover: from which server to which, when, and how long it took. */
  public record LastFailover(String from, String to, String at, long took_ms) {}

  /** Whether every host is up and every component running. */
  public boolean healthy() {
    return hosts.stream()
        .allMatch(
            h -> h.up() && h.components().stream().allMatch(c -> c.state().equals("running")));
  }
}
