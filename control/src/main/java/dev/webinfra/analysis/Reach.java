package dev.webinfra.analysis;

import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.plan.Flows;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a flow the design needs can happen as rendered: the address the dialling daemon's config
 * uses, the network that address is on, whether the receiving daemon listens there, and whether the
 * receiver's firewall lets it in. Addresses come from the same model methods and renderer functions
 * that {@code up} uses, so a finding never disagrees with what would run.
 */
public record Reach(Flow flow, Ipv4 address, Optional<String> network, Status status) {

  /** Why a flow can, or cannot, happen. */
  public enum Status {
    OK("it can happen"),
    NO_SHARED_NETWORK("the two hosts share no network"),
    NOT_LISTENING("the daemon there does not listen on that address"),
    FIREWALL_DROP("the receiver's firewall drops it");

    private final String text;

    Status(String text) {
      this.text = text;
    }

    /** The reason in words, for findings. */
    public String text() {
      return text;
    }
  }

  /** Whether the flow can happen. */
  public boolean ok() {
    return status == Status.OK;
  }

  /** {@code client → 198.18.6.100:443 → lb1}, for findings and {@code --explain}. */
  public String path() {
    String where =
        flow.proto() == Proto.VRRP
            ? address + " (vrrp)"
            : address
                + ":"
                + flow.port()
                + "/"
                + flow.proto().name().toLowerCase(java.util.Locale.ROOT);
    return flow.from() + " → " + where + " → " + flow.to();
  }

  // The last topology's flows, resolved: every rule of the check asks for them.
  private record Memo(Topology topology, List<Reach> reaches) {}

  private static final java.util.concurrent.atomic.AtomicReference<Memo> LAST =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** Every needed flow, resolved. */
  public static List<Reach> all(Topology t) {
    Memo m = LAST.get();
    if (m != null && m.topology() == t) {
      return m.reaches();
    }
    List<Reach> out = resolveAll(t);
    LAST.set(new Memo(t, out));
    return out;
  }

  private static List<Reach> resolveAll(Topology t) {
    List<Reach> out = new ArrayList<>();
    // Each host, its rules and its listeners once, not once per flow to it: a design with many
    // load balancers or Galera members has a flow for every pair.
    Map<String, Host> hosts = new HashMap<>();
    t.hosts().forEach(h -> hosts.putIfAbsent(h.name(), h));
    Map<String, List<FirewallRule>> rules = new HashMap<>();
    Map<String, List<Listener>> listeners = new HashMap<>();
    for (Flow f : Flows.required(t)) {
      Host from = hosts.get(f.from());
      Host to = hosts.get(f.to());
      out.add(
          resolve(
              t,
              f,
              from,
              to,
              rules.computeIfAbsent(f.to(), n -> Flows.inboundRules(t, to)),
              listeners.computeIfAbsent(f.to(), n -> listeners(t, to))));
    }
    return List.copyOf(out);
  }

  /** The needed flows that cannot happen. */
  public static List<Reach> failing(Topology t) {
    return all(t).stream().filter(r -> !r.ok()).toList();
  }

  private static Reach resolve(
      Topology t, Flow f, Host from, Host to, List<FirewallRule> rules, List<Listener> listeners) {
    Ipv4 address = target(t, f, from, to);
    Optional<String> network =
        to.attachments().stream()
            .filter(a -> a.address().equals(address))
            .map(Attachment::network)
            .findFirst()
            .or(() -> t.vip().filter(v -> v.address().equals(address)).map(v -> v.network()));
    if (network.isEmpty() || from.address(network.get()).isEmpty()) {
      return new Reach(f, address, network, Status.NO_SHARED_NETWORK);
    }
    if (!listens(listeners, f).contains(address)) {
      return new Reach(f, address, network, Status.NOT_LISTENING);
    }
    if (to.settings().firewall().enabled() && !allowed(rules, f, from, network.get())) {
      return new Reach(f, address, network, Status.FIREWALL_DROP);
    }
    return new Reach(f, address, network, Status.OK);
  }

  // The address the dialling side's rendered config uses.
  private static Ipv4 target(Topology t, Flow f, Host from, Host to) {
    return switch (f.kind()) {
      // The client resolves the site's name: the floating IP, or DNS's one front address.
      case SITE -> t.vip().map(v -> v.address()).orElse(to.addressFor(from));
      case VRRP -> to.address(t.vip().orElseThrow().network()).orElseThrow();
      // State transfers go to wsrep_node_address, the member's first address.
      case GALERA_STATE_TRANSFER -> to.primaryAddress();
      default -> to.addressFor(from);
    };
  }

  // The addresses where a daemon of the receiving host takes the flow, as its unit declares.
  static Set<Ipv4> listens(Topology t, Flow f, Host to) {
    return listens(listeners(t, to), f);
  }

  private static List<Listener> listeners(Topology t, Host to) {
    return Units.on(t, to).stream().flatMap(u -> u.listeners(t, to).stream()).toList();
  }

  private static Set<Ipv4> listens(List<Listener> listeners, Flow f) {
    return listeners.stream()
        .filter(l -> l.takes(f.proto(), f.port()))
        .flatMap(l -> l.addresses().stream())
        .collect(Collectors.toSet());
  }

  // As nftables matches it: a host source is the host's address on the flow's network, a network
  // source is that network's range.
  private static boolean allowed(List<FirewallRule> rules, Flow f, Host from, String network) {
    for (FirewallRule r : rules) {
      if (r.proto() != f.proto() || (r.proto() != Proto.VRRP && r.port() != f.port())) {
        continue;
      }
      for (String src : r.from()) {
        if (src.equals("any") || src.equals(network) || src.equals(from.name())) {
          return true;
        }
      }
    }
    return false;
  }
}
