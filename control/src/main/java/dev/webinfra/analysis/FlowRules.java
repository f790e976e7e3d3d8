package dev.webinfra.analysis;

import dev.webinfra.daemon.Flow;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rules on the flow graph ({@link Reach}): flows that cannot happen, and secrets or decrypted
 * traffic on networks a client is on, judged on the addresses the rendered configs use.
 */
final class FlowRules {
  private FlowRules() {}

  /** FIREWALL_BLOCKS_FLOW and UNREACHABLE_FLOW: every needed flow that cannot happen. */
  static List<Finding> reachability(Topology t) {
    List<Finding> out = new ArrayList<>();
    for (Reach r : Reach.failing(t)) {
      Flow f = r.flow();
      if (f.kind() == Flow.Kind.MONITORING && !sharesWithAMonitor(t, f.to())) {
        continue; // MONITORING_GAP already says no monitoring host shares a network with it
      }
      String proto = f.proto().name().toLowerCase(Locale.ROOT);
      if (r.status() == Reach.Status.FIREWALL_DROP) {
        out.add(
            new Finding(
                "FIREWALL_BLOCKS_FLOW",
                Severity.HIGH,
                List.of(f.to(), f.from()),
                "the firewall on " + f.to() + " blocks " + f.purpose(),
                "the design needs "
                    + f.describe()
                    + ", but "
                    + f.to()
                    + "'s firewall rules do not allow it",
                "allow port "
                    + f.port()
                    + "/"
                    + proto
                    + " from "
                    + f.from()
                    + " on "
                    + f.to()
                    + " (or drop firewall.rules there to use the rules derived from the roles)",
                r.path()));
        continue;
      }
      String net = r.network().orElse("no network of " + f.to());
      String fix =
          r.status() == Reach.Status.NO_SHARED_NETWORK
              ? (f.kind() == Flow.Kind.SITE && t.vip().isPresent()
                  ? "put the floating IP on a network "
                      + f.from()
                      + " is on, or attach "
                      + f.from()
                      + " to network "
                      + net
                  : "attach "
                      + f.from()
                      + " to network "
                      + net
                      + " (where "
                      + f.to()
                      + " is "
                      + r.address()
                      + "), or "
                      + f.to()
                      + " to a network "
                      + f.from()
                      + " is on")
              : "list network "
                  + net
                  + " first among "
                  + f.to()
                  + "'s networks, or put "
                  + f.from()
                  + " on the network "
                  + f.to()
                  + "'s daemon listens on";
      out.add(
          new Finding(
              "UNREACHABLE_FLOW",
              f.kind() == Flow.Kind.MONITORING ? Severity.MEDIUM : Severity.HIGH,
              List.of(f.from(), f.to()),
              f.from() + " cannot reach " + f.to() + " for " + f.purpose(),
              "the design needs "
                  + f.describe()
                  + ", dialled at "
                  + r.address()
                  + " as the rendered config does, but "
                  + r.status().text()
                  + (r.status() == Reach.Status.NOT_LISTENING ? listensOnly(t, f, proto) : ""),
              fix,
              r.path()));
    }
    return out;
  }

  // Where the receiving host does take the flow's port, if anywhere.
  private static String listensOnly(Topology t, Flow f, String proto) {
    List<String> at =
        Reach.listens(t, f, t.host(f.to()).orElseThrow()).stream()
            .sorted()
            .map(Object::toString)
            .toList();
    return at.isEmpty()
        ? " (nothing on " + f.to() + " takes " + f.port() + "/" + proto + ")"
        : " (it listens on " + String.join(", ", at) + " only)";
  }

  private static boolean sharesWithAMonitor(Topology t, String host) {
    Host h = t.host(host).orElseThrow();
    return t.hostsWith(Role.MONITOR).stream().anyMatch(m -> m.sharesNetworkWith(h));
  }

  /** SECRETS_ON_CLIENT_NETWORK: database traffic over a network a client is on. */
  static List<Finding> secrets(Topology t) {
    Map<String, Set<String>> hostsByNet = new LinkedHashMap<>();
    Map<String, Set<String>> kindsByNet = new LinkedHashMap<>();
    for (Reach r : Reach.all(t)) {
      if (!r.flow().kind().carriesSecrets() || r.network().isEmpty()) {
        continue;
      }
      String net = r.network().get();
      if (clientsOn(t, net).isEmpty()) {
        continue;
      }
      hostsByNet.computeIfAbsent(net, k -> new LinkedHashSet<>()).add(r.flow().from());
      hostsByNet.get(net).add(r.flow().to());
      kindsByNet.computeIfAbsent(net, k -> new LinkedHashSet<>()).add(r.flow().purpose());
    }
    List<Finding> out = new ArrayList<>();
    hostsByNet.forEach(
        (net, hosts) ->
            out.add(
                new Finding(
                    "SECRETS_ON_CLIENT_NETWORK",
                    Severity.HIGH,
                    inFileOrder(t, hosts),
                    "database traffic crosses network " + net + ", which clients are on",
                    String.join(", ", kindsByNet.get(net))
                        + " between "
                        + String.join(", ", inFileOrder(t, hosts))
                        + " go unencrypted over "
                        + net
                        + ", where "
                        + String.join(", ", clientsOn(t, net))
                        + " can read the data and the credentials",
                    "move the database hosts to a private network that no client is on")));
    return out;
  }

  private static List<String> inFileOrder(Topology t, Set<String> hosts) {
    return t.hosts().stream().map(Host::name).filter(hosts::contains).toList();
  }

  static List<String> clientsOn(Topology t, String network) {
    return t.hostsWith(Role.CLIENT).stream()
        .filter(c -> c.address(network).isPresent())
        .map(Host::name)
        .toList();
  }
}
