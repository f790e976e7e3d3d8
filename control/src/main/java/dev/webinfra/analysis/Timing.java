package dev.webinfra.analysis;

import dev.webinfra.plan.ControllerPace;
import dev.webinfra.render.app.DatabaseEndpoints;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.keepalived.KeepalivedRenderer;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Settings;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Timing and consistency: how long each failure takes to detect and to recover from, computed from
 * the settings the renderers write, against the design's targets; and every place a copy that may
 * lag is read or promoted as if it were current.
 */
final class Timing {
  /** A dead server is out of HAProxy's rotation within this. */
  static final long SERVER_REMOVAL_TARGET_MS = 2_000;

  /** The floating IP leaves a dead load balancer within this. */
  static final long VIP_HOST_TARGET_MS = 1_000;

  /** The floating IP leaves a load balancer whose haproxy died within this. */
  static final long VIP_HAPROXY_TARGET_MS = 2_000;

  /** A dead Galera member leaves the view (and commits resume) within this. */
  static final long GALERA_EVICTION_TARGET_MS = 2_000;

  /** A dead primary is replaced by an automatic failover within this. */
  static final long PROMOTION_TARGET_MS = 5_000;

  private Timing() {}

  /** Every timing and consistency rule. */
  static List<Finding> all(Topology t) {
    List<Finding> out = new ArrayList<>(failover(t));
    out.addAll(asyncPromotion(t));
    out.addAll(staleReads(t));
    return out;
  }

  /**
   * How long a server that stops answering stays in one HAProxy's rotation, at worst: it dies just
   * after a good check, so the next comes {@code inter} later; each failed check waits the check
   * connect timeout (the smaller of {@code timeout connect} and {@code inter}), and the {@code fall
   * - 1} after the first come {@code fastinter} apart.
   */
  static long serverRemovalMs(Settings.Lb s) {
    long connect = Math.min(HaproxyRenderer.CONNECT_TIMEOUT_MS, s.checkInterMs());
    return s.checkInterMs()
        + (long) s.checkFall() * connect
        + (long) (s.checkFall() - 1) * HaproxyRenderer.fastInterMs(s);
  }

  /** How long HAProxy's retries keep a request alive while its server is dead. */
  static long retryWindowMs() {
    return (long) HaproxyRenderer.RETRIES * HaproxyRenderer.CONNECT_TIMEOUT_MS;
  }

  /**
   * VRRP v3's Master_Down_Interval for a backup of this priority: three adverts plus a skew of (256
   * - priority) / 256 of an advert.
   */
  static long masterDownMs(int priority) {
    return KeepalivedRenderer.masterDownMs(priority);
  }

  /**
   * The floating IP off a load balancer whose haproxy died: the check notices within {@code fall}
   * runs an interval apart, the holder then resigns (a priority-0 advert), and the backup takes
   * over after its skew.
   */
  static long vipAfterHaproxyMs(int backupPriority) {
    long advert = KeepalivedRenderer.ADVERT_INT_MS;
    return 1000L * KeepalivedRenderer.SCRIPT_INTERVAL_S * KeepalivedRenderer.SCRIPT_FALL
        + (256 - Math.max(1, Math.min(255, backupPriority))) * advert / 256;
  }

  /**
   * A silent Galera member leaves the view at worst after the inactive timeout (when the others
   * cannot agree sooner) plus one inactivity check.
   */
  static long galeraEvictionMs() {
    return MariadbRenderer.Evs.INACTIVE_TIMEOUT_MS + MariadbRenderer.Evs.INACTIVE_CHECK_PERIOD_MS;
  }

  /**
   * An automatic promotion, at the least: the controller's tick, the replicas noticing the silent
   * primary ({@code slave_net_timeout}), and stopping their IO threads, each of which may be
   * retrying the dead primary for as long again.
   */
  static long promotionMs() {
    return ControllerPace.TICK.toMillis() + 2_000L * MariadbRenderer.SLAVE_NET_TIMEOUT_S;
  }

  /** SLOW_FAILOVER: every detection or failover time above the design's target. */
  static List<Finding> failover(Topology t) {
    List<Finding> out = new ArrayList<>();
    List<Host> webs = t.hostsWith(Role.WEB);
    for (Host lb : t.hostsWith(Role.LB)) {
      Settings.Lb s = lb.settings().lb();
      if (!s.healthChecks() || webs.size() < 2) {
        continue; // NO_HEALTH_CHECKS says so; with one server there is nowhere to send requests
      }
      long removal = serverRemovalMs(s);
      if (removal <= SERVER_REMOVAL_TARGET_MS) {
        continue;
      }
      boolean failsRequests = removal > retryWindowMs();
      out.add(
          new Finding(
              "SLOW_FAILOVER",
              failsRequests ? Severity.HIGH : Severity.MEDIUM,
              List.of(lb.name()),
              "a dead server stays in "
                  + lb.name()
                  + "'s rotation for up to "
                  + seconds(removal)
                  + " (target "
                  + seconds(SERVER_REMOVAL_TARGET_MS)
                  + ")",
              "with check_inter_ms "
                  + s.checkInterMs()
                  + ", check_fall "
                  + s.checkFall()
                  + ", fastinter "
                  + HaproxyRenderer.fastInterMs(s)
                  + " ms and a check connect timeout of "
                  + Math.min(HaproxyRenderer.CONNECT_TIMEOUT_MS, s.checkInterMs())
                  + " ms, a server that stops answering is marked down after "
                  + seconds(removal)
                  + (failsRequests
                      ? "; HAProxy's "
                          + HaproxyRenderer.RETRIES
                          + " retries cover "
                          + seconds(retryWindowMs())
                          + ", so requests to the last active server fail in between instead of"
                          + " reaching the backup"
                      : "; its requests wait on retries meanwhile"),
              "lower lb.check_inter_ms or lb.check_fall until check_inter_ms + check_fall × the"
                  + " check connect timeout + (check_fall - 1) × fastinter is at most "
                  + seconds(SERVER_REMOVAL_TARGET_MS)));
    }
    List<Host> holders =
        t.hostsWith(Role.LB).stream().filter(lb -> new KeepalivedUnit().runsOn(t, lb)).toList();
    if (holders.size() > 1) {
      int backup = KeepalivedRenderer.priority(t, holders.get(1));
      long host = masterDownMs(backup);
      long haproxy = vipAfterHaproxyMs(backup);
      if (host > VIP_HOST_TARGET_MS || haproxy > VIP_HAPROXY_TARGET_MS) {
        out.add(
            slow(
                holders.stream().map(Host::name).toList(),
                "the floating IP moves " + seconds(host) + " after its holder dies",
                "targets: "
                    + seconds(VIP_HOST_TARGET_MS)
                    + " for a dead load balancer, "
                    + seconds(VIP_HAPROXY_TARGET_MS)
                    + " for a dead haproxy (here "
                    + seconds(haproxy)
                    + ")",
                "shorten keepalived's advert_int or the haproxy check's interval"));
      }
    }
    Database db = t.database();
    if (db.kind() == Database.Kind.GALERA && galeraEvictionMs() > GALERA_EVICTION_TARGET_MS) {
      out.add(
          slow(
              db.members(),
              "a dead Galera member stalls commits for up to " + seconds(galeraEvictionMs()),
              "target " + seconds(GALERA_EVICTION_TARGET_MS),
              "lower evs.inactive_timeout and evs.suspect_timeout"));
    }
    if (db.kind() == Database.Kind.PRIMARY_REPLICA
        && db.failover() == Database.Failover.AUTOMATIC
        && promotionMs() > PROMOTION_TARGET_MS) {
      out.add(
          slow(
              db.primary().stream().toList(),
              "a dead primary is replaced after at least " + seconds(promotionMs()),
              "target " + seconds(PROMOTION_TARGET_MS),
              "lower slave_net_timeout"));
    }
    return out;
  }

  private static Finding slow(List<String> hosts, String title, String target, String fix) {
    return new Finding(
        "SLOW_FAILOVER",
        Severity.MEDIUM,
        hosts,
        title,
        "the design's " + target + "; until then the site is degraded",
        fix);
  }

  /**
   * ASYNC_PROMOTION: a primary-replica set without semi-sync, whose replicas may lag the primary by
   * any number of acknowledged writes and can still be promoted.
   */
  static List<Finding> asyncPromotion(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA || db.semiSync() || db.replicas().isEmpty()) {
      return List.of();
    }
    boolean automatic = db.failover() == Database.Failover.AUTOMATIC;
    List<String> hosts = new ArrayList<>(db.primary().stream().toList());
    hosts.addAll(db.replicas());
    return List.of(
        new Finding(
            "ASYNC_PROMOTION",
            automatic ? Severity.HIGH : Severity.MEDIUM,
            hosts,
            "a replica that may lag is promoted as if it were current",
            db.primary().orElseThrow()
                + " acknowledges a write as soon as it alone holds it (semi-sync is off), so "
                + String.join(", ", db.replicas())
                + " may lack any number of acknowledged writes; "
                + (automatic
                    ? "the controller promotes one when the primary dies"
                    : "`db promote` makes one the primary when it is dead")
                + ", and those writes are lost",
            "turn on semi-synchronous replication (database.semi_sync: true): a write is then"
                + " acknowledged only once a replica has it"));
  }

  /**
   * STALE_READ_AFTER_WRITE: Galera members read without a causality wait ({@code database.
   * causal_reads: false}). A write set is applied on the other members after its commit returns,
   * and without causal reads the app reads its own member with no {@code wsrep_sync_wait} (Galera's
   * default 0) and no GTID wait (it counts as the writable database). HAProxy spreads one client's
   * requests over the servers, so a client's read after its write can land on a member that has not
   * applied it.
   */
  static List<Finding> staleReads(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.GALERA || db.members().size() < 2 || db.causalReads()) {
      return List.of();
    }
    Map<String, String> readsFrom = new LinkedHashMap<>();
    for (Host web : t.hostsWith(Role.WEB)) {
      if (!web.has(Role.APP) || web.settings().web().backup()) {
        continue;
      }
      firstMember(t, DatabaseEndpoints.readEndpoint(t, web))
          .ifPresent(m -> readsFrom.put(web.name(), m));
    }
    if (readsFrom.values().stream().distinct().count() < 2) {
      return List.of();
    }
    List<String> hosts = new ArrayList<>(readsFrom.keySet());
    return List.of(
        new Finding(
            "STALE_READ_AFTER_WRITE",
            Severity.MEDIUM,
            hosts,
            "a client may not see its own write when its next request reaches another server",
            "the apps on "
                + String.join(", ", hosts)
                + " read from Galera members "
                + String.join(", ", readsFrom.values().stream().distinct().toList())
                + " with no causality wait (no wsrep_sync_wait, and no GTID wait on a member);"
                + " another member applies a write set after the commit returns, and HAProxy"
                + " sends a client's requests to any active server",
            "make a client's reads after its write causal (database.causal_reads: true, the"
                + " default: such a read waits on its member with wsrep_sync_wait = 1), or keep a"
                + " client on one server (a stickiness cookie in HAProxy)"));
  }

  // The first Galera member a JDBC URL names, by address.
  private static Optional<String> firstMember(Topology t, String url) {
    int start = url.indexOf("//");
    if (start < 0) {
      return Optional.empty();
    }
    String first = url.substring(start + 2).split("[,/]", 2)[0];
    String address = first.contains(":") ? first.substring(0, first.lastIndexOf(':')) : first;
    return t.database().members().stream()
        .filter(
            m ->
                t.host(m).orElseThrow().attachments().stream()
                    .anyMatch(a -> a.address().toString().equals(address)))
        .findFirst();
  }

  // 1750 ms as "1.75 s".
  static String seconds(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
  }
}
