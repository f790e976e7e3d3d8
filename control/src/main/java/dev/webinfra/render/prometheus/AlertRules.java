package dev.webinfra.render.prometheus;

import dev.webinfra.render.Template;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert rules for a topology, as one Prometheus rule file: a group per concern, only the groups
 * whose daemons the design runs, thresholds and expected sizes taken from the model. Expressions
 * follow awesome-prometheus-alerts and mysqld_exporter's mixin; every alert names the host at fault
 * ({@code host}) and its kind of incident ({@code incident}), which Alertmanager groups and
 * inhibits by.
 */
public final class AlertRules {
  /** How long a condition must hold before its alert fires: two scrapes. */
  public static final String FOR = "4s";

  /** Percentage of 5xx answers that is too many. */
  public static final String ERROR_PERCENT = "5";

  /** p99 latency, in seconds, that is too slow. */
  public static final String P99_SECONDS = "0.5";

  /** Replication lag, in seconds, that is too much. */
  public static final String LAG_SECONDS = "10";

  /**
   * How long every target of a host must be down before HostDown fires: one evaluation, so that it
   * reaches Alertmanager before what it explains is notified.
   */
  public static final String HOST_DOWN_FOR = "2s";

  /** How long after a host was last wholly down HostRecovering keeps inhibiting. */
  public static final String RECOVERING = "2m";

  /** How long a replica may receive nothing before ReplicaNotFollowing fires. */
  public static final String NOT_FOLLOWING_FOR = "10s";

  private AlertRules() {}

  /** The rule groups this topology gets, by name, in file order. */
  public static List<String> groups(Topology t) {
    List<String> out = new ArrayList<>(List.of("targets"));
    if (!t.hostsWith(Role.LB).isEmpty()) {
      out.add("load-balancer");
      out.add("http");
    }
    Database db = t.database();
    if (db.kind() != Database.Kind.NONE) {
      out.add("mariadb");
    }
    if (db.kind() == Database.Kind.GALERA) {
      out.add("galera");
    }
    if (!db.replicas().isEmpty()) {
      out.add("replication");
    }
    if (t.vip().isPresent() && t.hostsWith(Role.LB).size() > 1) {
      out.add("floating-ip");
    }
    out.add("headroom");
    return List.copyOf(out);
  }

  /** The rule file. */
  public static String render(Topology t) {
    StringBuilder sb =
        new StringBuilder(
            "# Alert rules for lab "
                + t.lab()
                + ", rendered by webinfra; edits are overwritten.\ngroups:\n");
    for (String g : groups(t)) {
      sb.append(Template.load("prometheus/rules-" + g + ".yml").render(vars(t, g)));
    }
    return sb.toString();
  }

  private static Map<String, String> vars(Topology t, String group) {
    Map<String, String> v = new java.util.LinkedHashMap<>();
    v.put("for", FOR);
    switch (group) {
      case "targets" -> {
        v.put("host_down_for", HOST_DOWN_FOR);
        v.put("recovering", RECOVERING);
        v.put("galera_members", String.join("|", t.database().members()));
      }
      case "http" -> {
        v.put("error_percent", ERROR_PERCENT);
        v.put("slow_seconds", P99_SECONDS);
      }
      case "galera" -> {
        // The arbitrator is a member of the group too: it counts in wsrep_cluster_size.
        List<String> voters = new ArrayList<>(t.database().members());
        t.database().arbitrator().ifPresent(voters::add);
        v.put("cluster_size", Integer.toString(voters.size()));
        v.put("members", String.join(", ", voters));
      }
      case "replication" -> {
        v.put("lag_seconds", LAG_SECONDS);
        v.put("not_following_for", NOT_FOLLOWING_FOR);
        v.put("source_map", sourceMap(t));
        // A Galera replica's source must also be a synced member: one that left the primary
        // component still answers, but is no longer fed.
        v.put(
            "not_in_cluster",
            t.database().kind() == Database.Kind.GALERA
                ? " or (replica:mysql_slave_io_running unless on (source_host)"
                    + " label_replace(mysql_global_status_wsrep_local_state == 4, \"source_host\","
                    + " \"$1\", \"instance\", \"(.*)\"))"
                : "");
      }
      case "floating-ip" -> {
        v.put("vip", t.vip().orElseThrow().address().toString());
        v.put("lbs", String.join(", ", t.hostsWith(Role.LB).stream().map(h -> h.name()).toList()));
      }
      default -> {}
    }
    return v;
  }

  /**
   * The replicas' IO thread state with the name of their source host, from the address in {@code
   * master_host}: one {@code label_replace} per address of every database host.
   */
  static String sourceMap(Topology t) {
    String expr = "mysql_slave_status_slave_io_running";
    for (dev.webinfra.topology.Host h : t.hostsWith(Role.DB)) {
      for (dev.webinfra.topology.Attachment a : h.attachments()) {
        expr =
            "label_replace("
                + expr
                + ", \"source_host\", \""
                + h.name()
                + "\", \"master_host\", \""
                + a.address().toString().replace(".", "[.]")
                + "\")";
      }
    }
    return expr;
  }
}
