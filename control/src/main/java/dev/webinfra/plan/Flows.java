package dev.webinfra.plan;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The flows a topology needs to work, as the daemons that receive them declare them ({@link
 * DaemonUnit#inbound}), and each host's inbound allow rules: the ones derived from those flows, or
 * the topology's own {@code firewall.rules}. A firewall that does not allow a needed flow breaks
 * the design; {@link #blocked} finds such flows.
 */
public final class Flows {
  private Flows() {}

  /** Every flow the design needs, by kind, then by the order of the hosts it goes from and to. */
  public static List<Flow> required(Topology t) {
    return collect(t, false);
  }

  // The last topology's flows, with and without standby ones: the design check and the firewall
  // ask for them once per host, and collecting them asks every unit about every host.
  private record Memo(Topology topology, List<Flow> flows, Map<String, List<Flow>> byTo) {}

  private static final AtomicReference<Memo> LAST = new AtomicReference<>();
  private static final AtomicReference<Memo> LAST_WITH_STANDBY = new AtomicReference<>();

  private static List<Flow> collect(Topology t, boolean withStandby) {
    return memo(t, withStandby).flows();
  }

  // The flows to one host, in the order of all of them: every host's rules ask for theirs, and
  // scanning every flow for each host is quadratic in the hosts.
  private static List<Flow> to(Topology t, Host h) {
    return memo(t, true).byTo().getOrDefault(h.name(), List.of());
  }

  private static Memo memo(Topology t, boolean withStandby) {
    AtomicReference<Memo> last = withStandby ? LAST_WITH_STANDBY : LAST;
    Memo m = last.get();
    if (m != null && m.topology() == t) {
      return m;
    }
    List<Flow> flows = collectAgain(t, withStandby);
    Map<String, List<Flow>> byTo = new HashMap<>();
    flows.forEach(f -> byTo.computeIfAbsent(f.to(), k -> new ArrayList<>()).add(f));
    m = new Memo(t, flows, byTo);
    last.set(m);
    return m;
  }

  private static List<Flow> collectAgain(Topology t, boolean withStandby) {
    Set<Flow> out = new LinkedHashSet<>();
    for (Host h : t.hosts()) {
      for (DaemonUnit u : Units.ALL) {
        out.addAll(u.inbound(t, h));
        if (withStandby) {
          out.addAll(u.standby(t, h));
        }
      }
    }
    Map<String, Integer> order = new HashMap<>();
    t.hosts().forEach(h -> order.putIfAbsent(h.name(), order.size()));
    return out.stream()
        .sorted(
            Comparator.comparing(Flow::kind)
                .thenComparing(f -> order.getOrDefault(f.from(), -1))
                .thenComparing(f -> order.getOrDefault(f.to(), -1)))
        .toList();
  }

  /**
   * The flows that a host's derived rules admit: those the design needs to it, and those its
   * daemons take ahead of need ({@link DaemonUnit#standby}). A source none of them names is one no
   * firewall rule of that host needs to admit.
   */
  public static List<Flow> admittedTo(Topology t, Host h) {
    return List.copyOf(to(t, h));
  }

  /**
   * A host's inbound allow rules: the topology's own, or those derived from the flows to it,
   * including those a daemon opens ahead of need ({@link DaemonUnit#standby}).
   */
  public static List<FirewallRule> inboundRules(Topology t, Host h) {
    List<FirewallRule> rules = designed(t, h);
    // A server is reached over SSH, by webinfra and by its operator: its firewall never shuts
    // that out, whatever else it admits.
    if (h.ssh().isPresent()
        && rules.stream()
            .noneMatch(
                r ->
                    r.proto() == Proto.TCP
                        && r.port() == h.ssh().get().port()
                        && r.from().contains("any"))) {
      List<FirewallRule> with = new ArrayList<>(rules);
      with.add(new FirewallRule(h.ssh().get().port(), Proto.TCP, List.of("any")));
      return List.copyOf(with);
    }
    return rules;
  }

  private static List<FirewallRule> designed(Topology t, Host h) {
    if (h.settings().firewall().rules().isPresent()) {
      return h.settings().firewall().rules().get();
    }
    // One rule a port, its sources in the order of the flows; a rule open to any takes no more.
    Map<PortKey, Set<String>> out = new LinkedHashMap<>();
    for (Flow f : to(t, h)) {
      // Clients are anyone on the internet: the site's ports are open to all.
      String from = f.kind() == Flow.Kind.SITE ? "any" : f.from();
      Set<String> sources =
          out.computeIfAbsent(new PortKey(f.port(), f.proto()), k -> new LinkedHashSet<>());
      if (!sources.contains("any")) {
        sources.add(from);
      }
    }
    return out.entrySet().stream()
        .map(
            e -> new FirewallRule(e.getKey().port(), e.getKey().proto(), List.copyOf(e.getValue())))
        .toList();
  }

  private record PortKey(int port, Proto proto) {}

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
