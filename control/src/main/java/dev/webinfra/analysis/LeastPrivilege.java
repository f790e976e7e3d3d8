package dev.webinfra.analysis;

import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.plan.Flows;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Least privilege: every hand-written firewall rule (the {@code firewall.rules} that replace the
 * derived ones) against the flows the design needs to that host. A rule that admits a source no
 * flow needs is a finding, naming what it admits and to which daemon. The derived rules admit
 * exactly the flows' sources, so they never are.
 */
final class LeastPrivilege {
  private static final String ANYONE = "any address";

  private LeastPrivilege() {}

  /** FIREWALL_RULE_TOO_WIDE: a hand-written rule that admits sources no flow needs. */
  static List<Finding> wideRules(Topology t) {
    List<Finding> out = new ArrayList<>();
    for (Host h : t.hosts()) {
      if (!h.settings().firewall().enabled() || h.settings().firewall().rules().isEmpty()) {
        continue;
      }
      List<Flow> admitted = Flows.admittedTo(t, h);
      List<Listener> listeners = Feasibility.listeners(t, h);
      // What each source admits, once per host: every rule may name every host and network.
      Map<String, Set<String>> sources = new HashMap<>();
      for (FirewallRule r : h.settings().firewall().rules().get()) {
        List<Flow> needed = admitted.stream().filter(f -> matches(r, f.proto(), f.port())).toList();
        if (needed.stream().anyMatch(f -> f.kind() == Flow.Kind.SITE)) {
          continue; // the site is for anyone
        }
        Set<String> extra = new LinkedHashSet<>();
        r.from().forEach(src -> extra.addAll(sources.computeIfAbsent(src, x -> admits(t, h, x))));
        needed.forEach(f -> extra.remove(f.from()));
        if (extra.isEmpty()) {
          continue;
        }
        out.add(finding(t, h, r, needed, extra, daemons(listeners, r)));
      }
    }
    return out;
  }

  private static Finding finding(
      Topology t, Host h, FirewallRule r, List<Flow> needed, Set<String> extra, List<String> ds) {
    String what = port(r);
    boolean sensitive =
        needed.stream().anyMatch(f -> f.kind().carriesSecrets() || f.kind() == Flow.Kind.VRRP)
            || r.proto() == Proto.VRRP;
    boolean outsiders =
        extra.contains(ANYONE)
            || extra.stream().anyMatch(n -> t.host(n).map(x -> x.has(Role.CLIENT)).orElse(false));
    String daemon =
        ds.isEmpty()
            ? "no daemon of " + h.name() + " (whatever binds " + what + " later is exposed)"
            : String.join(", ", ds) + " on " + h.name();
    Set<String> wanted = new LinkedHashSet<>();
    needed.forEach(f -> wanted.add(f.from()));
    List<String> hosts = new ArrayList<>(List.of(h.name()));
    extra.stream().filter(n -> !n.equals(ANYONE)).forEach(hosts::add);
    return new Finding(
        "FIREWALL_RULE_TOO_WIDE",
        sensitive || outsiders ? Severity.HIGH : Severity.MEDIUM,
        hosts,
        "the firewall on "
            + h.name()
            + " admits "
            + what
            + " from "
            + String.join(", ", r.from())
            + ", wider than any flow needs",
        "the rule lets "
            + String.join(", ", extra)
            + " reach "
            + daemon
            + (wanted.isEmpty()
                ? "; no flow of the design needs " + what + " there at all"
                : "; only "
                    + String.join(", ", wanted)
                    + (wanted.size() == 1 ? " needs" : " need")
                    + " it")
            + (r.proto() == Proto.VRRP
                ? ": any of them can send adverts and take the floating IP"
                : sensitive ? ": the database and its credentials are one login away" : ""),
        wanted.isEmpty()
            ? "remove the rule for " + what + " from " + h.name() + "'s firewall.rules"
            : "admit only "
                + String.join(", ", wanted)
                + " ({ "
                + (r.proto() == Proto.VRRP ? "" : "port: " + r.port() + ", ")
                + (r.proto() == Proto.TCP
                    ? ""
                    : "proto: " + r.proto().name().toLowerCase(Locale.ROOT) + ", ")
                + "from: ["
                + String.join(", ", wanted)
                + "] }), or drop firewall.rules to use the rules derived from the roles");
  }

  private static boolean matches(FirewallRule r, Proto proto, int port) {
    return r.proto() == proto && (proto == Proto.VRRP || r.port() == port);
  }

  // The hosts (and the world) one source of a rule admits, as nftables matches it: "any" is every
  // address; a
  // network is its range, which only hosts on it send from, and only if this host is on it too; a
  // host is its addresses on the networks it shares with this host.
  private static Set<String> admits(Topology t, Host h, String src) {
    Set<String> out = new LinkedHashSet<>();
    if (src.equals("any")) {
      out.add(ANYONE);
      t.hosts().stream()
          .filter(o -> !o.name().equals(h.name()) && o.sharesNetworkWith(h))
          .forEach(o -> out.add(o.name()));
    } else if (t.network(src).isPresent() && h.address(src).isPresent()) {
      t.hosts().stream()
          .filter(o -> !o.name().equals(h.name()) && o.address(src).isPresent())
          .forEach(o -> out.add(o.name()));
    } else {
      t.host(src)
          .filter(o -> !o.name().equals(h.name()) && o.sharesNetworkWith(h))
          .ifPresent(o -> out.add(src));
    }
    return out;
  }

  private static List<String> daemons(List<Listener> listeners, FirewallRule r) {
    return listeners.stream()
        .filter(l -> l.takes(r.proto(), r.port()))
        .map(Listener::daemon)
        .distinct()
        .toList();
  }

  private static String port(FirewallRule r) {
    return r.proto() == Proto.VRRP
        ? "VRRP"
        : r.port() + "/" + r.proto().name().toLowerCase(Locale.ROOT);
  }
}
