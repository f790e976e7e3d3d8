package dev.webinfra.analysis;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Listener;
import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Units;
import dev.webinfra.render.app.DatabaseEndpoints;
import dev.webinfra.render.keepalived.KeepalivedRenderer;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.render.mysqldexporter.MysqldExporterUnit;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Feasibility in sizes and privileges: whether each daemon gets what it needs from its host and its
 * peers as rendered. Connections every client may open to a database server against what it
 * accepts; ports an unprivileged daemon cannot bind.
 */
final class Capacity {
  /** Below this, binding a port needs privilege (Linux's ip_unprivileged_port_start). */
  static final int FIRST_UNPRIVILEGED_PORT = 1024;

  private Capacity() {}

  /** Every sizing and privilege rule. */
  static List<Finding> all(Topology t) {
    List<Finding> out = new ArrayList<>(databaseConnections(t));
    out.addAll(privilegedPorts(t));
    out.addAll(vrrpPriorities(t));
    return out;
  }

  /**
   * DB_CONNECTIONS_EXCEEDED: the connections the apps' pools, the replicas and the exporter may
   * open to one database server, more than its {@code max_connections}. Each app has a write pool
   * and a read pool of {@code app.pool_size}; a pool whose JDBC URL lists several servers (Galera's
   * sequential fail-over) can land whole on any one of them once the others fail, so it counts
   * against each.
   */
  static List<Finding> databaseConnections(Topology t) {
    Map<String, Host> byAddress = new HashMap<>();
    t.hosts().forEach(h -> h.attachments().forEach(a -> byAddress.put(a.address().toString(), h)));
    Map<String, Integer> demand = new LinkedHashMap<>();
    Map<String, Set<String>> clients = new LinkedHashMap<>();
    Map<String, List<String>> parts = new LinkedHashMap<>();
    for (Host app : t.hostsWith(Role.APP)) {
      if (t.database().writableHosts().isEmpty()) {
        break;
      }
      int pool = app.settings().app().poolSize();
      for (String url :
          List.of(
              DatabaseEndpoints.writeEndpoint(t, app), DatabaseEndpoints.readEndpoint(t, app))) {
        for (String server : servers(url, byAddress)) {
          demand.merge(server, pool, Integer::sum);
          clients.computeIfAbsent(server, k -> new LinkedHashSet<>()).add(app.name());
        }
      }
    }
    demand
        .keySet()
        .forEach(s -> parts.put(s, new ArrayList<>(List.of("app pools " + demand.get(s)))));
    t.database()
        .replicationSource()
        .filter(src -> !t.database().replicas().isEmpty())
        .ifPresent(
            src -> {
              int n = t.database().replicas().size();
              demand.merge(src, n, Integer::sum);
              parts.computeIfAbsent(src, k -> new ArrayList<>()).add("replicas " + n);
            });
    MysqldExporterUnit exporter = new MysqldExporterUnit();
    for (String s : List.copyOf(demand.keySet())) {
      if (exporter.runsOn(t, t.host(s).orElseThrow())) {
        demand.merge(s, 1, Integer::sum);
        parts.get(s).add("exporter 1");
      }
    }
    List<Finding> out = new ArrayList<>();
    int max = MariadbRenderer.MAX_CONNECTIONS;
    demand.forEach(
        (server, n) -> {
          if (n <= max) {
            return;
          }
          List<String> hosts = new ArrayList<>(List.of(server));
          clients.getOrDefault(server, Set.of()).stream()
              .filter(c -> !c.equals(server))
              .forEach(hosts::add);
          out.add(
              new Finding(
                  "DB_CONNECTIONS_EXCEEDED",
                  Severity.HIGH,
                  hosts,
                  "clients may open " + n + " connections to " + server + "; it accepts " + max,
                  "the apps on "
                      + String.join(", ", clients.getOrDefault(server, Set.of()))
                      + " keep a write and a read pool of app.pool_size each that can reach "
                      + server
                      + " ("
                      + String.join(", ", parts.get(server))
                      + "), but its max_connections is "
                      + max
                      + ": under load or after a failover the rest are refused (\"Too many"
                      + " connections\") and requests fail",
                  "lower app.pool_size so that 2 × pool_size × app hosts, plus replicas and the"
                      + " exporter, stays within "
                      + max
                      + " per database server"));
        });
    return out;
  }

  // The hosts a JDBC URL names: jdbc:mariadb[:sequential]://a:p,b:p/db.
  private static List<String> servers(String url, Map<String, Host> byAddress) {
    int start = url.indexOf("//");
    if (start < 0) {
      return List.of();
    }
    int end = url.indexOf('/', start + 2);
    List<String> out = new ArrayList<>();
    for (String hp : url.substring(start + 2, end < 0 ? url.length() : end).split(",")) {
      int colon = hp.lastIndexOf(':');
      Host h = byAddress.get(colon < 0 ? hp : hp.substring(0, colon));
      if (h != null && !out.contains(h.name())) {
        out.add(h.name());
      }
    }
    return out;
  }

  /**
   * PRIVILEGED_PORT: a daemon that runs as an unprivileged user (its spec names one, as its unit
   * renders it) and binds a port below 1024: it cannot start.
   */
  static List<Finding> privilegedPorts(Topology t) {
    Map<String, Boolean> dropsPrivilege = new HashMap<>();
    // daemon and port → the hosts where it cannot bind, in file order
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (Host h : t.hosts()) {
      for (DaemonUnit u : Units.on(t, h)) {
        for (Listener l : u.listeners(t, h)) {
          if (l.proto() == Proto.VRRP || l.port() >= FIRST_UNPRIVILEGED_PORT) {
            continue;
          }
          // Whether a daemon drops privilege is the same on every host: render its command once.
          boolean unprivileged =
              dropsPrivilege.computeIfAbsent(
                  u.name(), k -> u.spec(t, h, new HostPaths(Path.of("/check"))).user() != null);
          if (unprivileged) {
            String key =
                u.name() + " " + l.port() + "/" + l.proto().name().toLowerCase(Locale.ROOT);
            where.computeIfAbsent(key, k -> new ArrayList<>()).add(h.name());
          }
        }
      }
    }
    List<Finding> out = new ArrayList<>();
    where.forEach(
        (key, hosts) -> {
          String daemon = key.substring(0, key.indexOf(' '));
          String port = key.substring(key.indexOf(' ') + 1);
          out.add(
              new Finding(
                  "PRIVILEGED_PORT",
                  Severity.HIGH,
                  hosts,
                  daemon + " cannot bind " + port + " on " + String.join(", ", hosts),
                  daemon
                      + " runs as an unprivileged user, and a port below "
                      + FIRST_UNPRIVILEGED_PORT
                      + " needs root or CAP_NET_BIND_SERVICE: it fails to start on "
                      + String.join(", ", hosts)
                      + ", and each of them serves nothing",
                  "give it a port of "
                      + FIRST_UNPRIVILEGED_PORT
                      + " or above"
                      + (daemon.equals("app")
                          ? " (app.port; nginx, on 80 and 443, stays the front)"
                          : "")));
        });
    return out;
  }

  /**
   * VRRP_PRIORITY_INVALID: keepalived's priority is rendered from the load balancer's place in the
   * file (150, 140, ...); from the sixteenth on it falls below VRRP's 1, and keepalived replaces it
   * with its default 100, the priority of the sixth.
   */
  static List<Finding> vrrpPriorities(Topology t) {
    KeepalivedUnit keepalived = new KeepalivedUnit();
    List<String> bad =
        t.hostsWith(Role.LB).stream()
            .filter(lb -> keepalived.runsOn(t, lb))
            .filter(lb -> KeepalivedRenderer.priority(t, lb) < 1)
            .map(Host::name)
            .toList();
    if (bad.isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "VRRP_PRIORITY_INVALID",
            Severity.MEDIUM,
            bad,
            String.join(", ", bad)
                + (bad.size() == 1 ? " gets" : " get")
                + " no valid VRRP priority",
            "keepalived's priority is 150 for the first load balancer and 10 less for each after"
                + " it; "
                + String.join(", ", bad)
                + " would get "
                + KeepalivedRenderer.priority(t, t.host(bad.get(0)).orElseThrow())
                + " or less, below VRRP's 1, so keepalived uses its default 100 instead: a tie"
                + " with the sixth (and with one another), and which one takes the floating IP is"
                + " left to address order",
            "keep the floating IP's holders to 15 load balancers or fewer (two are enough for"
                + " one floating IP)"));
  }
}
