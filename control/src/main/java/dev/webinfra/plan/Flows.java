package dev.webinfra.plan;

import dev.webinfra.topology.Database;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The flows a topology needs to work, derived from its roles, and each host's inbound allow rules:
 * the ones derived from those flows, or the topology's own {@code firewall.rules}. A firewall that
 * does not allow a needed flow breaks the design; {@link #blocked} finds such flows.
 */
public final class Flows {
  /** The port of HAProxy's stats page and Prometheus exporter. */
  public static final int LB_STATS_PORT = 8404;

  /** The node exporter's port, which every monitored host opens to the monitoring server. */
  public static final int NODE_EXPORTER_PORT = 9100;

  /** The mysqld exporter's port, open on database hosts to the monitoring server. */
  public static final int MYSQLD_EXPORTER_PORT = 9104;

  /** The nginx exporter's port, open on web hosts to the monitoring server. */
  public static final int NGINX_EXPORTER_PORT = 9113;

  private Flows() {}

  /** Every flow the design needs, in a stable order. */
  public static List<Flow> required(Topology t) {
    Set<Flow> out = new LinkedHashSet<>();
    List<Host> dns = t.hostsWith(Role.DNS);
    for (Host h : t.hosts()) {
      for (Host d : dns) {
        if (!d.equals(h) && d.sharesNetworkWith(h)) {
          out.add(new Flow(h.name(), d.name(), 53, Proto.UDP, "DNS"));
          out.add(new Flow(h.name(), d.name(), 53, Proto.TCP, "DNS"));
        }
      }
    }
    List<Host> lbs = t.hostsWith(Role.LB);
    List<Host> webs = t.hostsWith(Role.WEB);
    List<Host> fronts = lbs.isEmpty() ? webs : lbs;
    for (Host c : t.hostsWith(Role.CLIENT)) {
      for (Host f : fronts) {
        out.add(new Flow(c.name(), f.name(), 80, Proto.TCP, "HTTP"));
        if (t.tls().enabled()) {
          out.add(new Flow(c.name(), f.name(), 443, Proto.TCP, "HTTPS"));
        }
      }
    }
    for (Host lb : lbs) {
      for (Host w : webs) {
        out.add(
            new Flow(
                lb.name(), w.name(), backendPort(t, w), Proto.TCP, "requests and health checks"));
      }
      if (t.vip().isPresent()) {
        for (Host peer : lbs) {
          if (!peer.equals(lb)) {
            out.add(
                new Flow(
                    lb.name(), peer.name(), 0, Proto.VRRP, "VRRP adverts for the floating IP"));
          }
        }
      }
    }
    Database db = t.database();
    for (Host app : t.hostsWith(Role.APP)) {
      Set<String> targets = new LinkedHashSet<>(db.writableHosts());
      if (app.has(Role.DB)) {
        targets.remove(app.name());
      }
      for (String target : targets) {
        Host d = t.host(target).orElseThrow();
        out.add(new Flow(app.name(), target, d.settings().db().port(), Proto.TCP, "app writes"));
      }
    }
    db.replicationSource()
        .ifPresent(
            src -> {
              Host s = t.host(src).orElseThrow();
              for (String r : db.replicas()) {
                out.add(new Flow(r, src, s.settings().db().port(), Proto.TCP, "replication"));
              }
            });
    if (db.kind() == Database.Kind.GALERA) {
      List<String> voters = new ArrayList<>(db.members());
      db.arbitrator().ifPresent(voters::add);
      for (String a : voters) {
        for (String b : voters) {
          if (!a.equals(b)) {
            out.add(new Flow(a, b, 4567, Proto.TCP, "Galera group communication"));
          }
        }
      }
      for (String a : db.members()) {
        for (String b : db.members()) {
          if (!a.equals(b)) {
            out.add(new Flow(a, b, 4568, Proto.TCP, "Galera incremental state transfer"));
            out.add(new Flow(a, b, 4444, Proto.TCP, "Galera state transfer"));
          }
        }
      }
    }
    for (Host m : t.hostsWith(Role.MONITOR)) {
      for (Host h : t.hosts()) {
        if (!h.equals(m) && h.settings().monitoring().agent()) {
          out.add(new Flow(m.name(), h.name(), NODE_EXPORTER_PORT, Proto.TCP, "monitoring"));
          if (h.has(Role.DB)) {
            out.add(
                new Flow(m.name(), h.name(), MYSQLD_EXPORTER_PORT, Proto.TCP, "MariaDB metrics"));
          }
          if (h.has(Role.WEB)) {
            out.add(new Flow(m.name(), h.name(), NGINX_EXPORTER_PORT, Proto.TCP, "nginx metrics"));
            // The app listens on loopback only: its /metrics is scraped through nginx.
            out.add(new Flow(m.name(), h.name(), backendPort(t, h), Proto.TCP, "app metrics"));
          }
        }
      }
      for (Host lb : lbs) {
        out.add(new Flow(m.name(), lb.name(), LB_STATS_PORT, Proto.TCP, "HAProxy metrics"));
      }
    }
    return List.copyOf(out);
  }

  /** The port a server takes load-balanced traffic on: 443 when the LB talks TLS to it. */
  public static int backendPort(Topology t, Host web) {
    return t.tls().enabled() && t.tls().backend() ? 443 : web.settings().web().port();
  }

  /**
   * A host's inbound allow rules: the topology's own, or those derived from the flows to it. A
   * database's port is open to every app and database host: any server may become the primary, and
   * a promotion must not wait for a firewall change.
   */
  public static List<FirewallRule> inboundRules(Topology t, Host h) {
    if (h.settings().firewall().rules().isPresent()) {
      return h.settings().firewall().rules().get();
    }
    List<FirewallRule> out = new ArrayList<>();
    List<Flow> flows = new ArrayList<>(required(t));
    if (h.has(Role.DB)) {
      for (Host other : t.hosts()) {
        if (!other.equals(h) && (other.has(Role.APP) || other.has(Role.DB))) {
          flows.add(
              new Flow(
                  other.name(), h.name(), h.settings().db().port(), Proto.TCP, "database clients"));
        }
      }
    }
    for (Flow f : flows) {
      if (!f.to().equals(h.name())) {
        continue;
      }
      // Clients are anyone on the internet: the site's ports are open to all.
      String from = f.purpose().startsWith("HTTP") ? "any" : f.from();
      FirewallRule r = new FirewallRule(f.port(), f.proto(), List.of(from));
      int i = indexOfSamePort(out, r);
      if (i < 0) {
        out.add(r);
      } else if (!out.get(i).from().contains(from) && !out.get(i).from().contains("any")) {
        List<String> merged = new ArrayList<>(out.get(i).from());
        merged.add(from);
        out.set(i, new FirewallRule(r.port(), r.proto(), merged));
      }
    }
    return List.copyOf(out);
  }

  private static int indexOfSamePort(List<FirewallRule> rules, FirewallRule r) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).port() == r.port() && rules.get(i).proto() == r.proto()) {
        return i;
      }
    }
    return -1;
  }

  /** The needed flows that a host's firewall would drop. */
  public static List<Flow> blocked(Topology t) {
    List<Flow> out = new ArrayList<>();
    for (Flow f : required(t)) {
      Host to = t.host(f.to()).orElseThrow();
      if (!to.settings().firewall().enabled()) {
        continue;
      }
      Host from = t.host(f.from()).orElseThrow();
      boolean allowed =
          inboundRules(t, to).stream()
              .anyMatch(
                  r ->
                      r.proto() == f.proto()
                          && (r.proto() == Proto.VRRP || r.port() == f.port())
                          && r.from().stream()
                              .anyMatch(
                                  src ->
                                      src.equals("any")
                                          || src.equals(from.name())
                                          || from.address(src).isPresent()));
      if (!allowed) {
        out.add(f);
      }
    }
    return out;
  }
}
