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
 * follow awesome-prometheus-alerts and mysqld_exporter's mixin; every alert names its host through
 * {@code instance}.
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
      case "replication" -> v.put("lag_seconds", LAG_SECONDS);
      case "floating-ip" -> {
        v.put("vip", t.vip().orElseThrow().address().toString());
        v.put("lbs", String.join(", ", t.hostsWith(Role.LB).stream().map(h -> h.name()).toList()));
      }
      default -> {}
    }
    return v;
  }
}
