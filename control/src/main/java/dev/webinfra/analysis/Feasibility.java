package dev.webinfra.analysis;

import dev.webinfra.daemon.Listener;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether what the design asks for can start at all: replication sources with a binary log, each
 * port bound once on a host, a DNS server, and servers that are not all backups.
 */
final class Feasibility {
  private Feasibility() {}

  /** SOURCE_WITHOUT_BINLOG: a replication source that keeps no binary log feeds nobody. */
  static List<Finding> sourceBinlog(Topology t) {
    Database db = t.database();
    if (db.replicas().isEmpty() || db.replicationSource().isEmpty()) {
      return List.of();
    }
    String src = db.replicationSource().get();
    if (t.host(src).orElseThrow().settings().db().binlog()) {
      return List.of();
    }
    List<String> hosts = new ArrayList<>(List.of(src));
    hosts.addAll(db.replicas());
    return List.of(
        new Finding(
            "SOURCE_WITHOUT_BINLOG",
            Severity.HIGH,
            hosts,
            "replication source " + src + " keeps no binary log",
            String.join(", ", db.replicas())
                + " replicate from "
                + src
                + ", but with db.binlog: false it records no changes for them: they never receive"
                + " a write",
            "set db.binlog: true on " + src));
  }

  /** The sockets the daemons of a host bind, as their units declare them. */
  static List<Listener> listeners(Topology t, Host h) {
    return Units.on(t, h).stream().flatMap(u -> u.listeners(t, h).stream()).toList();
  }

  /** PORT_CONFLICT: two daemons of one host that bind the same port on the same address. */
  static List<Finding> ports(Topology t) {
    List<Finding> out = new ArrayList<>();
    for (Host h : t.hosts()) {
      List<Listener> ls = listeners(t, h);
      for (int i = 0; i < ls.size(); i++) {
        for (int j = i + 1; j < ls.size(); j++) {
          Listener a = ls.get(i);
          Listener b = ls.get(j);
          if (a.daemon().equals(b.daemon()) || !a.collidesWith(b)) {
            continue;
          }
          out.add(
              new Finding(
                  "PORT_CONFLICT",
                  Severity.HIGH,
                  List.of(h.name()),
                  "host " + h.name() + ": " + a.describe() + " and " + b.describe() + " collide",
                  "both bind port "
                      + a.port()
                      + "/"
                      + a.proto().name().toLowerCase(java.util.Locale.ROOT)
                      + " on the same address of "
                      + h.name()
                      + ": the second to start fails, and "
                      + b.daemon()
                      + " never runs",
                  "give one of them another port (web.port, app.port, db.port), or move one role"
                      + " to another host"));
        }
      }
    }
    return out;
  }

  /** NO_DNS: nothing answers for the site's name. */
  static List<Finding> noDns(Topology t) {
    if (!t.hostsWith(Role.DNS).isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "NO_DNS",
            Severity.HIGH,
            (t.hostsWith(Role.LB).isEmpty() ? t.hostsWith(Role.WEB) : t.hostsWith(Role.LB))
                .stream().map(Host::name).toList(),
            "no DNS server answers for " + String.join(", ", t.siteFqdns()),
            "no host has role dns, so nobody can find the site by its name; it runs, but only"
                + " people who know its address reach it",
            "add a host with role dns on the clients' network (dnsmasq, authoritative for "
                + t.domain()
                + ")"));
  }

  /** ALL_SERVERS_BACKUP: every server waits for another to fail. */
  static List<Finding> allBackup(Topology t) {
    List<Host> webs = t.hostsWith(Role.WEB);
    if (webs.isEmpty() || !webs.stream().allMatch(w -> w.settings().web().backup())) {
      return List.of();
    }
    boolean lb = !t.hostsWith(Role.LB).isEmpty();
    return List.of(
        new Finding(
            "ALL_SERVERS_BACKUP",
            Severity.HIGH,
            webs.stream().map(Host::name).toList(),
            "every server is marked backup",
            lb
                ? "HAProxy sends all traffic to the first backup only ("
                    + webs.get(0).name()
                    + "); the others idle, so the site has the capacity of one server"
                : "with no load balancer, web.backup means nothing: the setting is ignored",
            "set web.backup: false on the servers that should take traffic; keep backup for the"
                + " spare"));
  }
}
