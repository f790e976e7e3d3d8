package dev.webinfra.analysis;

import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * What stops a standby from taking over, or makes the takeover lose data: a backup server no health
 * check switches to, a replica with no path to promotion, semi-sync that falls back to async.
 */
final class Takeover {
  private Takeover() {}

  static List<Finding> semiSyncFallback(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA || !db.semiSync() || !db.asyncFallback()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "DURABILITY_TRADED_FOR_AVAILABILITY",
            Severity.MEDIUM,
            db.primary().stream().toList(),
            "semi-sync falls back to asynchronous replication (database.semi_sync_fallback: async)",
            "when no replica acknowledges within 2 s the primary acknowledges writes that only it"
                + " holds; if it then fails, a promoted replica lacks them and they are lost",
            "remove semi_sync_fallback (or set it to wait) so that writes wait for a replica"));
  }

  static List<Finding> healthChecks(Topology t) {
    List<Finding> out = new ArrayList<>();
    for (Host lb : t.hostsWith(Role.LB)) {
      if (lb.settings().lb().healthChecks()) {
        continue;
      }
      List<Host> backups =
          t.hostsWith(Role.WEB).stream().filter(w -> w.settings().web().backup()).toList();
      if (!backups.isEmpty()) {
        List<String> hosts = new ArrayList<>(List.of(lb.name()));
        hosts.addAll(Finding.names(backups));
        out.add(
            new Finding(
                "BACKUP_WITHOUT_HEALTH_CHECKS",
                Severity.HIGH,
                hosts,
                "backup server "
                    + String.join(", ", Finding.names(backups))
                    + " can never take over",
                lb.name()
                    + " does not check its servers' health, so it never sees an active server fail"
                    + " and never switches to the backup",
                "turn on health checks (lb.health_checks: true) so HAProxy marks a dead server down"
                    + " and uses the backup"));
      } else if (t.hostsWith(Role.WEB).size() > 1) {
        out.add(
            new Finding(
                "NO_HEALTH_CHECKS",
                Severity.HIGH,
                List.of(lb.name()),
                "the load balancer keeps sending requests to dead servers",
                lb.name()
                    + " does not check its servers' /health, so a failed server keeps its share of"
                    + " requests",
                "turn on health checks (lb.health_checks: true)"));
      }
    }
    return out;
  }

  static List<Finding> replicaPromotion(Topology t) {
    Database db = t.database();
    if (db.replicas().isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    List<String> stuck =
        db.replicas().stream()
            .filter(r -> !t.host(r).orElseThrow().settings().db().binlog())
            .toList();
    boolean noneCanTakeOver =
        stuck.size() == db.replicas().size() && db.writableHosts().size() <= 1;
    for (String r : stuck) {
      out.add(
          new Finding(
              "REPLICA_NOT_PROMOTABLE",
              noneCanTakeOver ? Severity.HIGH : Severity.MEDIUM,
              List.of(r),
              "replica " + r + " has no path to promotion",
              r
                  + " keeps no binary log (db.binlog: false): promoted, no other server could"
                  + " replicate from it, and it has no GTID history to compare"
                  + (noneCanTakeOver ? "; no other server could take over writes either" : ""),
              "set db.binlog: true on "
                  + r
                  + " (with log_slave_updates it then records what it applies)"));
    }
    return out;
  }
}
