package dev.webinfra.analysis;

import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The design check: what the reference documents do by hand in their "issues" sections. Each rule
 * is a pure function from the topology to findings; the rules cover single points of failure on the
 * path from a client to the data, security and monitoring gaps, quorum, maintenance downtime and
 * limits to scaling.
 */
public final class Analyzer {
  private static final List<Function<Topology, List<Finding>>> RULES =
      List.of(
          Analyzer::roleSpofs,
          Resilience::spofs,
          Resilience::quorum,
          Analyzer::semiSyncFallback,
          Analyzer::healthChecks,
          Analyzer::replicaPromotion,
          Analyzer::firewall,
          FlowRules::reachability,
          FlowRules::secrets,
          Feasibility::sourceBinlog,
          Feasibility::ports,
          Feasibility::noDns,
          Feasibility::allBackup,
          LeastPrivilege::wideRules,
          Capacity::all,
          Timing::all,
          Analyzer::https,
          Analyzer::monitoring,
          Analyzer::maintenance,
          Analyzer::scaling,
          Analyzer::oneMachine,
          OperatorSurfaces::exposed);

  private Analyzer() {}

  /** Every finding, most severe first, then by id. */
  public static List<Finding> analyze(Topology t) {
    List<Finding> out = new ArrayList<>();
    RULES.forEach(r -> out.addAll(r.apply(t)));
    out.sort(ORDER);
    return List.copyOf(out);
  }

  /** How findings are listed: most severe first, then by id, then by hosts. */
  public static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::severity)
          .thenComparing(Finding::id)
          .thenComparing(Finding::hosts, Analyzer::compareJoined);

  // As String.join(",", a).compareTo(String.join(",", b)), without joining in every comparison:
  // sorting 50 000 findings joined their hosts a million times.
  private static int compareJoined(List<String> a, List<String> b) {
    int i = 0;
    int j = 0;
    int ia = 0;
    int jb = 0;
    while (true) {
      int ca = charAt(a, i, ia);
      int cb = charAt(b, j, jb);
      if (ca != cb) {
        return ca - cb;
      }
      if (ca == -1) {
        return 0;
      }
      if (++ia > (i < a.size() ? a.get(i).length() : 0)) {
        i++;
        ia = 0;
      }
      if (++jb > (j < b.size() ? b.get(j).length() : 0)) {
        j++;
        jb = 0;
      }
    }
  }

  // The character at position k of item i of the joined list: the item's, then a comma between
  // items, -1 past the end.
  private static int charAt(List<String> l, int i, int k) {
    if (i >= l.size()) {
      return -1;
    }
    String s = l.get(i);
    if (k < s.length()) {
      return s.charAt(k);
    }
    return i + 1 < l.size() ? ',' : -1;
  }

  /**
   * The single points of failure named by role (one server, one load balancer, one DNS server, a
   * primary without failover), kept only where the flow graph agrees: a host the site can lose is
   * no single point of failure, whatever its role. A design already broken keeps them all.
   */
  static List<Finding> roleSpofs(Topology t) {
    List<Finding> out = new ArrayList<>();
    out.addAll(singleServer(t));
    out.addAll(singleLoadBalancer(t));
    out.addAll(vipSingleHolder(t));
    out.addAll(dns(t));
    out.addAll(databaseFailover(t));
    Resilience r = Resilience.of(t);
    if (t.hostsWith(Role.CLIENT).isEmpty() || r.broken(java.util.Set.of()).isPresent()) {
      return out;
    }
    List<String> cut = r.cutVertices();
    return out.stream().filter(f -> f.hosts().stream().anyMatch(cut::contains)).toList();
  }

  private static List<String> names(List<Host> hosts) {
    return hosts.stream().map(Host::name).toList();
  }

  static List<Finding> singleServer(Topology t) {
    List<Host> webs = t.hostsWith(Role.WEB);
    if (webs.size() != 1) {
      return List.of();
    }
    return List.of(
        new Finding(
            "SPOF_SERVER",
            Severity.HIGH,
            names(webs),
            "the only server is a single point of failure",
            "web server, application server and database all run on "
                + webs.get(0).name()
                + "; if it fails (hardware, network, a bad deploy) the whole site is down",
            "add servers and put a load balancer in front of them (see three-servers.yaml), with"
                + " the database replicated"));
  }

  static List<Finding> singleLoadBalancer(Topology t) {
    List<Host> lbs = t.hostsWith(Role.LB);
    if (lbs.size() == 1) {
      return List.of(
          new Finding(
              "SPOF_LOAD_BALANCER",
              Severity.HIGH,
              names(lbs),
              "the load balancer is a single point of failure",
              "every request goes through "
                  + lbs.get(0).name()
                  + "; if it fails, no traffic reaches the "
                  + t.hostsWith(Role.WEB).size()
                  + " servers behind it",
              "add a second load balancer and share a floating IP between them with keepalived"
                  + " (VRRP), as ha-cluster.yaml does"));
    }
    if (lbs.size() > 1 && t.vip().isEmpty()) {
      return List.of(
          new Finding(
              "SPOF_LOAD_BALANCER",
              Severity.HIGH,
              names(lbs),
              "the load balancers share no floating IP",
              "DNS gives clients the address of "
                  + lbs.get(0).name()
                  + " only; if it fails, the others take no traffic",
              "give the load balancers a vip: a floating IP that keepalived moves to a live one"));
    }
    return List.of();
  }

  static List<Finding> vipSingleHolder(Topology t) {
    List<Host> lbs = t.hostsWith(Role.LB);
    if (t.vip().isEmpty() || lbs.size() != 1) {
      return List.of();
    }
    return List.of(
        new Finding(
            "VIP_SINGLE_HOLDER",
            Severity.HIGH,
            names(lbs),
            "the floating IP has a single holder",
            "floating IP "
                + t.vip().get().address()
                + " can only live on "
                + lbs.get(0).name()
                + ": there is no peer to move it to, so it protects against nothing",
            "add a second load balancer on network "
                + t.vip().get().network()
                + " to hold the floating IP when the first fails"));
  }

  static List<Finding> dns(Topology t) {
    List<Host> dns = t.hostsWith(Role.DNS);
    if (dns.size() != 1 || t.hostsWith(Role.CLIENT).isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "SPOF_DNS",
            Severity.MEDIUM,
            names(dns),
            "a single DNS server answers for the site",
            "if "
                + dns.get(0).name()
                + " fails, clients whose cached answer expires cannot find the site, though it"
                + " still runs",
            "add a secondary name server for "
                + t.domain()
                + " (a second dns host, or a DNS provider with several servers)"));
  }

  static List<Finding> databaseFailover(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA
        || db.failover() == Database.Failover.AUTOMATIC) {
      return List.of();
    }
    return List.of(
        new Finding(
            "NO_AUTOMATIC_DB_FAILOVER",
            Severity.HIGH,
            db.primary().stream().toList(),
            "the one writable primary has no automatic failover",
            "every write goes to "
                + db.primary().orElseThrow()
                + "; if it fails, writes stop until someone promotes a replica by hand",
            "use a multi-primary Galera cluster with an arbitrator as ha-cluster.yaml does, or"
                + " let the controller promote (database.failover: automatic);"
                + " meanwhile `webinfra db"
                + " promote HOST` promotes a replica without losing acknowledged writes"));
  }

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
        hosts.addAll(names(backups));
        out.add(
            new Finding(
                "BACKUP_WITHOUT_HEALTH_CHECKS",
                Severity.HIGH,
                hosts,
                "backup server " + String.join(", ", names(backups)) + " can never take over",
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

  static List<Finding> firewall(Topology t) {
    List<Host> open =
        t.hosts().stream()
            .filter(h -> !h.has(Role.CLIENT) && !h.settings().firewall().enabled())
            .toList();
    if (open.isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "NO_FIREWALL",
            Severity.HIGH,
            names(open),
            "no firewall on " + open.size() + " host" + (open.size() == 1 ? "" : "s"),
            "every port a daemon opens (the database, stats pages, replication) is reachable by"
                + " anyone who can reach the host",
            "enable firewall.enabled on every host (defaults: { firewall: { enabled: true } }):"
                + " inbound dropped by default, each role's ports opened only to the hosts that"
                + " need them"));
  }

  static List<Finding> https(Topology t) {
    List<Host> fronts =
        t.hostsWith(Role.LB).isEmpty() ? t.hostsWith(Role.WEB) : t.hostsWith(Role.LB);
    if (!t.tls().enabled()) {
      return List.of(
          new Finding(
              "NO_HTTPS",
              Severity.HIGH,
              names(fronts),
              "the site is served over plain HTTP",
              "everything between the client and "
                  + String.join(", ", names(fronts))
                  + " (pages, form posts, cookies) can be read and changed on the way",
              "serve HTTPS on 443 with a certificate for "
                  + String.join(", ", t.siteFqdns())
                  + " (tls.mode: lab or files) and redirect HTTP to it"));
    }
    if (t.tls().backend() || t.hostsWith(Role.LB).isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    for (Host w : t.hostsWith(Role.WEB)) {
      for (Host lb : t.hostsWith(Role.LB)) {
        // The network of the address HAProxy's server line dials (w.addressFor(lb)), not just
        // any network the two share.
        String net =
            w.attachments().stream()
                .filter(a -> a.address().equals(w.addressFor(lb)))
                .map(a -> a.network())
                .filter(n -> lb.address(n).isPresent())
                .findFirst()
                .orElse(null);
        if (net == null) {
          continue;
        }
        List<String> outsiders =
            t.hosts().stream()
                .filter(h -> h.address(net).isPresent() && h.has(Role.CLIENT))
                .map(Host::name)
                .toList();
        if (!outsiders.isEmpty()) {
          out.add(
              new Finding(
                  "PLAINTEXT_BEHIND_TLS",
                  Severity.HIGH,
                  List.of(lb.name(), w.name()),
                  "TLS ends at "
                      + lb.name()
                      + " and plain HTTP goes on to "
                      + w.name()
                      + " over the shared network "
                      + net,
                  "network "
                      + net
                      + " also holds "
                      + String.join(", ", outsiders)
                      + ", which can read and change the decrypted traffic",
                  "encrypt load balancer to server traffic too (tls.backend: true), or move the"
                      + " servers to a private network"));
        }
      }
    }
    return out;
  }

  static List<Finding> monitoring(Topology t) {
    List<Host> monitors = t.hostsWith(Role.MONITOR);
    List<Host> served =
        t.hosts().stream()
            .filter(h -> h.has(Role.LB) || h.has(Role.WEB) || h.has(Role.DB))
            .toList();
    if (monitors.isEmpty()) {
      return List.of(
          new Finding(
              "NO_MONITORING",
              Severity.MEDIUM,
              names(served),
              "nothing watches the infrastructure",
              "a failed daemon, a full disk or a lagging replica goes unnoticed until users notice",
              "add a monitoring host (role monitor) and monitoring agents on every server and load"
                  + " balancer (monitoring.agent: true)"));
    }
    List<Finding> out = new ArrayList<>();
    List<Host> unwatched = served.stream().filter(h -> !h.settings().monitoring().agent()).toList();
    // An agent no monitoring host shares a network with reports to nobody.
    List<Host> unreachable =
        t.hosts().stream()
            .filter(h -> h.settings().monitoring().agent() && !h.has(Role.MONITOR))
            .filter(h -> monitors.stream().noneMatch(m -> m.sharesNetworkWith(h)))
            .toList();
    if (!unreachable.isEmpty()) {
      out.add(
          new Finding(
              "MONITORING_GAP",
              Severity.MEDIUM,
              names(unreachable),
              "monitoring agent on " + String.join(", ", names(unreachable)) + " cannot be reached",
              "no monitoring host shares a network with "
                  + String.join(", ", names(unreachable))
                  + ", so nothing collects what the agent reports",
              "attach a monitoring host to that network, or give the host an address on the"
                  + " monitoring host's network"));
    }
    if (!unwatched.isEmpty()) {
      out.add(
          new Finding(
              "MONITORING_GAP",
              Severity.MEDIUM,
              names(unwatched),
              "no monitoring agent on " + String.join(", ", names(unwatched)),
              "these hosts serve the site, but nothing reports their state to "
                  + monitors.get(0).name(),
              "set monitoring.agent: true on them"));
    }
    if (monitors.size() == 1) {
      out.add(
          new Finding(
              "SINGLE_MONITORING_HOST",
              Severity.LOW,
              names(monitors),
              "a single monitoring host",
              "if "
                  + monitors.get(0).name()
                  + " fails, the site keeps running but nobody is told about the next failure",
              "run a second monitoring server, or alert on the monitoring host's own absence from"
                  + " outside"));
    }
    return out;
  }

  static List<Finding> maintenance(Topology t) {
    List<Finding> out = new ArrayList<>();
    List<Host> webs = t.hostsWith(Role.WEB);
    List<Host> lbs = t.hostsWith(Role.LB);
    if (webs.size() == 1) {
      out.add(
          new Finding(
              "MAINTENANCE_DOWNTIME",
              Severity.MEDIUM,
              names(webs),
              "maintenance means downtime",
              "deploying new code or restarting nginx, the app or MariaDB on "
                  + webs.get(0).name()
                  + " takes the site offline",
              "run several servers behind a load balancer and update them one at a time"));
    } else if (lbs.size() == 1) {
      out.add(
          new Finding(
              "MAINTENANCE_DOWNTIME",
              Severity.MEDIUM,
              names(lbs),
              "maintenance of the load balancer means downtime",
              "upgrading or rebooting "
                  + lbs.get(0).name()
                  + " takes the site offline, however many servers stand behind it",
              "add a second load balancer with a floating IP, and move the IP before maintenance"));
    }
    return out;
  }

  static List<Finding> scaling(Topology t) {
    List<Host> webs = t.hostsWith(Role.WEB);
    if (webs.size() == 1 && t.hostsWith(Role.LB).isEmpty()) {
      return List.of(
          new Finding(
              "NO_HORIZONTAL_SCALING",
              Severity.MEDIUM,
              names(webs),
              "the site cannot grow past one server",
              "with DNS pointing at "
                  + webs.get(0).name()
                  + " itself, a traffic surge can only be met by a bigger machine",
              "put a load balancer in front so that servers can be added (scale out), as"
                  + " three-servers.yaml does"));
    }
    Database db = t.database();
    if (db.writableHosts().size() >= 1 && webs.size() > 1) {
      String writers = String.join(", ", db.writableHosts());
      return List.of(
          new Finding(
              "WRITE_SCALING_LIMIT",
              Severity.LOW,
              db.writableHosts(),
              "writes do not scale out",
              db.kind() == Database.Kind.GALERA
                  ? "every Galera member applies every write, so adding members adds read capacity"
                      + " only"
                  : "every write goes to " + writers + "; adding servers adds read capacity only",
              "keep writes small and batched; shard the data or move write-heavy work to a queue if"
                  + " writes outgrow one server"));
    }
    return List.of();
  }

  static List<Finding> oneMachine(Topology t) {
    return List.of(
        new Finding(
            "SINGLE_MACHINE_LAB",
            Severity.INFO,
            List.of(),
            "in the lab, every host is a namespace on one machine",
            "the lab proves the design's behaviour, not its hardware redundancy: a failure of the"
                + " machine takes every host down at once",
            "run the same topology on separate servers (the SSH host driver) for production"));
  }
}
