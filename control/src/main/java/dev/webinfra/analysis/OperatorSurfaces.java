package dev.webinfra.analysis;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Units;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code OPERATOR_SURFACE_ON_CLIENT_NETWORK}: the operator's surfaces (Prometheus's UI and API, the
 * exporters, HAProxy's stats page) bound on a network a visitor's host is on. They tell whoever
 * reads them every host, address and alert, with no password: both reference designs put a firewall
 * in front of every server so that only the site is public. The dashboard and the controller's API
 * are not the design's: they listen on the machine's loopback.
 */
final class OperatorSurfaces {
  static final String ID = "OPERATOR_SURFACE_ON_CLIENT_NETWORK";

  private OperatorSurfaces() {}

  /**
   * One finding per host with an operator surface on a client's network: high when a client can
   * connect (no firewall, or a rule lets clients in), else medium (one firewall rule from open).
   */
  static List<Finding> exposed(Topology t) {
    List<Finding> out = new ArrayList<>();
    for (Host h : t.hosts()) {
      if (h.has(Role.CLIENT)) {
        continue;
      }
      Set<Integer> ports = operatorPorts(t, h);
      // network -> the surfaces bound there
      Map<String, Set<String>> byNetwork = new LinkedHashMap<>();
      Set<String> open = new LinkedHashSet<>();
      for (DaemonUnit u : Units.ALL) {
        if (!u.runsOn(t, h)) {
          continue;
        }
        for (Listener l : u.listeners(t, h)) {
          if (l.proto() != FirewallRule.Proto.TCP || !ports.contains(l.port())) {
            continue;
          }
          for (Attachment a : h.attachments()) {
            if (!l.addresses().contains(a.address())
                || FlowRules.clientsOn(t, a.network()).isEmpty()) {
              continue;
            }
            byNetwork
                .computeIfAbsent(a.network(), k -> new LinkedHashSet<>())
                .add(l.describe() + " at " + a.address());
            if (clientsAdmitted(t, h, a.network(), l.port())) {
              open.add(l.describe() + " at " + a.address());
            }
          }
        }
      }
      byNetwork.forEach(
          (net, surfaces) -> {
            List<String> clients = FlowRules.clientsOn(t, net);
            boolean reachable = surfaces.stream().anyMatch(open::contains);
            out.add(
                new Finding(
                    ID,
                    reachable ? Severity.HIGH : Severity.MEDIUM,
                    List.of(h.name()),
                    "operator surfaces of "
                        + h.name()
                        + " on network "
                        + net
                        + ", which clients are on",
                    String.join(", ", surfaces)
                        + (reachable ? " answer " : " sit one firewall rule away from ")
                        + String.join(", ", clients)
                        + ": whoever reads them sees every host, address, daemon and alert of the"
                        + " site, with no password"
                        + (reachable
                            ? (h.settings().firewall().enabled()
                                ? " (a firewall rule lets clients in)"
                                : " (the host has no firewall)")
                            : ""),
                    "bind them on a private network no client is on (attach "
                        + h.name()
                        + " to it and list it first), and let only the monitoring host in"));
          });
    }
    return out;
  }

  /** The ports of {@code h} that serve the operator, not the visitor. */
  static Set<Integer> operatorPorts(Topology t, Host h) {
    Set<Integer> out = new LinkedHashSet<>();
    for (Flow f : Flows.required(t)) {
      if (f.kind() == Flow.Kind.MONITORING && f.to().equals(h.name())) {
        out.add(f.port());
      }
    }
    if (h.has(Role.MONITOR)) {
      out.add(Agents.PROMETHEUS_PORT);
    }
    return out;
  }

  // Whether a client on the network can connect to the port: no firewall, or a rule that admits
  // anyone, the network, or a client by name or address.
  private static boolean clientsAdmitted(Topology t, Host h, String network, int port) {
    if (!h.settings().firewall().enabled()) {
      return true;
    }
    List<String> clients = FlowRules.clientsOn(t, network);
    for (FirewallRule r : Flows.inboundRules(t, h)) {
      if (r.proto() != FirewallRule.Proto.TCP || r.port() != port) {
        continue;
      }
      for (String src : r.from()) {
        if (src.equals("any") || src.equals(network) || clients.contains(src)) {
          return true;
        }
        for (String c : clients) {
          Host client = t.host(c).orElseThrow();
          if (client.attachments().stream()
              .map(Attachment::address)
              .map(Ipv4::toString)
              .anyMatch(src::equals)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
