package dev.webinfra.analysis;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Units;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether what the design asks for can start at all: replication sources with a binary log, each
 * port bound once on a host, a DNS server, and servers that are not all backups.
 */
final class Feasibility {
  private Feasibility() {}

  /** One socket a daemon binds: the component, the transport, the port and the addresses. */
  record Listener(String component, String proto, int port, Set<String> addresses) {
    boolean collidesWith(Listener o) {
      return proto.equals(o.proto)
          && port == o.port
          && addresses.stream().anyMatch(o.addresses::contains);
    }

    String describe() {
      return component + " on " + port + "/" + proto;
    }
  }

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

  /** The sockets each component of a host binds, as their renderers write them. */
  static List<Listener> listeners(Topology t, Host h) {
    Set<String> all = new HashSet<>();
    h.attachments().stream().map(Attachment::address).map(Ipv4::toString).forEach(all::add);
    String first = h.primaryAddress().toString();
    List<Listener> out = new ArrayList<>();
    for (DaemonUnit u : Units.on(t, h)) {
      String c = u.name();
      switch (c) {
        case "dnsmasq" -> {
          out.add(new Listener(c, "udp", 53, all));
          out.add(new Listener(c, "tcp", 53, all));
        }
        case "mariadb" -> {
          out.add(new Listener(c, "tcp", h.settings().db().port(), Set.of(first)));
          if (t.database().kind() == Database.Kind.GALERA
              && t.database().members().contains(h.name())) {
            for (int p : List.of(4567, 4568, 4444)) {
              out.add(new Listener(c, "tcp", p, Set.of(first)));
            }
          }
        }
        case "garbd" -> out.add(new Listener(c, "tcp", 4567, Set.of(first)));
        case "app" ->
            out.add(new Listener(c, "tcp", h.settings().app().port(), Set.of("127.0.0.1")));
        case "nginx" -> out.add(new Listener(c, "tcp", Flows.backendPort(t, h), all));
        case "haproxy" -> {
          Set<String> front = Set.copyOf(HaproxyRenderer.frontAddresses(t, h));
          out.add(new Listener(c, "tcp", 80, front));
          if (t.tls().enabled()) {
            out.add(new Listener(c, "tcp", 443, front));
          }
          out.add(
              new Listener(
                  c, "tcp", Flows.LB_STATS_PORT, Set.of(HaproxyRenderer.backAddress(t, h))));
        }
        default -> {}
      }
    }
    return out;
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
          if (a.component().equals(b.component()) || !a.collidesWith(b)) {
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
                      + a.proto()
                      + " on the same address of "
                      + h.name()
                      + ": the second to start fails, and "
                      + b.component()
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
