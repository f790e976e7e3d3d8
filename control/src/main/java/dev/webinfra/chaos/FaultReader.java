package dev.webinfra.chaos;

import static dev.webinfra.chaos.ScenarioLoader.duration;
import static dev.webinfra.chaos.ScenarioLoader.required;

import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Problems;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one fault of a scenario, checking the names it uses against the preset. */
final class FaultReader {
  private static final Set<String> COMMON = Set.of("name", "kind", "at", "duration");
  private static final Map<Kind, Set<String>> FIELDS =
      Map.of(
          Kind.KILL, Set.of("host", "daemon"),
          Kind.FREEZE, Set.of("host", "daemon"),
          Kind.POWER_CUT, Set.of("host"),
          Kind.PARTITION, Set.of("between"),
          Kind.BANDWIDTH, Set.of("host", "link", "rate"),
          Kind.LATENCY, Set.of("from", "to", "port", "delay"));
  private static final Pattern TC_RATE = Pattern.compile("[1-9][0-9]{0,6}(bit|kbit|mbit|gbit)");

  private final YamlNode node;
  private final Optional<Topology> t;
  private Map<String, YamlNode> m = Map.of();

  FaultReader(YamlNode node, Optional<Topology> t) {
    this.node = node;
    this.t = t;
  }

  Optional<FaultSpec> read() {
    Map<String, YamlNode> all = node.mapping().orElse(null);
    if (all == null) {
      return Optional.empty();
    }
    m = all;
    Optional<Kind> kind = Optional.empty();
    if (required(node, m, "kind")) {
      YamlNode k = m.get("kind");
      Optional<String> label = k.string();
      kind = label.flatMap(Kind::of);
      if (label.isPresent() && kind.isEmpty()) {
        k.problem(
            "'"
                + label.get()
                + "' is not a fault kind; allowed: kill, freeze, power-cut, partition, bandwidth,"
                + " latency");
      }
    }
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    Kind fk = kind.get();
    Set<String> allowed = new HashSet<>(COMMON);
    allowed.addAll(FIELDS.get(fk));
    m.forEach(
        (key, v) -> {
          if (!allowed.contains(key)) {
            v.problem(
                "unknown field '"
                    + key
                    + "' for a "
                    + fk.label()
                    + " fault; allowed: "
                    + String.join(", ", allowed.stream().sorted().toList()));
          }
        });
    int before = problemsCount();
    String name = required(node, m, "name") ? m.get("name").string().orElse("") : "";
    Duration at =
        required(node, m, "at")
            ? duration(m.get("at"), Duration.ZERO).orElse(Duration.ZERO)
            : Duration.ZERO;
    Duration duration =
        required(node, m, "duration")
            ? duration(m.get("duration"), Duration.ofSeconds(1)).orElse(Duration.ofSeconds(1))
            : Duration.ofSeconds(1);
    FaultSpec f =
        switch (kind.get()) {
          case KILL, FREEZE -> {
            String host = host("host", true);
            String daemon = required(node, m, "daemon") ? daemon(host) : null;
            yield new FaultSpec(
                name, at, duration, fk, host, daemon, null, null, null, null, null, 0, null);
          }
          case POWER_CUT ->
              new FaultSpec(
                  name,
                  at,
                  duration,
                  Kind.POWER_CUT,
                  host("host", true),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  0,
                  null);
          case PARTITION ->
              new FaultSpec(
                  name,
                  at,
                  duration,
                  Kind.PARTITION,
                  null,
                  null,
                  sides(),
                  null,
                  null,
                  null,
                  null,
                  0,
                  null);
          case BANDWIDTH -> {
            String host = host("host", true);
            String link = link(host);
            String rate = required(node, m, "rate") ? rate() : null;
            yield new FaultSpec(
                name,
                at,
                duration,
                Kind.BANDWIDTH,
                host,
                null,
                null,
                link,
                rate,
                null,
                null,
                0,
                null);
          }
          case LATENCY -> {
            String from = host("from", false);
            String to = host("to", false);
            if (from != null && from.equals(to)) {
              m.get("to").problem("a link goes from one host to another; both are " + from);
            }
            int port = required(node, m, "port") ? m.get("port").integer(1, 65535).orElse(0) : 0;
            Duration delay =
                required(node, m, "delay")
                    ? duration(m.get("delay"), Duration.ofMillis(1)).orElse(null)
                    : null;
            yield new FaultSpec(
                name,
                at,
                duration,
                Kind.LATENCY,
                null,
                null,
                null,
                null,
                null,
                from,
                to,
                port,
                delay);
          }
        };
    return problemsCount() == before ? Optional.of(f) : Optional.empty();
  }

  // Problems are collected centrally; a fault with any is not kept, so the count tells.
  private int problemsCount() {
    return problems().all().size();
  }

  private Problems problems() {
    return node.problems();
  }

  private String host(String field, boolean vipAllowed) {
    if (!required(node, m, field)) {
      return null;
    }
    YamlNode n = m.get(field);
    String h = n.string().orElse(null);
    if (h == null) {
      return null;
    }
    if (h.equals(FaultSpec.VIP_HOLDER)) {
      if (!vipAllowed) {
        n.problem("@vip names one host; a latency link goes between two named hosts");
      } else if (t.isPresent() && t.get().vip().isEmpty()) {
        n.problem("@vip names the holder of the floating IP, and the preset has none");
      }
      return h;
    }
    if (t.isPresent() && t.get().host(h).isEmpty()) {
      n.problem("no host '" + h + "' in the preset; hosts: " + hostNames());
    }
    return h;
  }

  private String hostNames() {
    return String.join(", ", t.get().hosts().stream().map(Host::name).toList());
  }

  private List<Host> hostsOf(String host) {
    if (t.isEmpty() || host == null) {
      return List.of();
    }
    return host.equals(FaultSpec.VIP_HOLDER)
        ? t.get().hostsWith(Role.LB)
        : t.get().host(host).map(List::of).orElse(List.of());
  }

  private String daemon(String host) {
    YamlNode n = m.get("daemon");
    String d = n.string().orElse(null);
    List<Host> hosts = hostsOf(host);
    if (d != null && !hosts.isEmpty()) {
      List<String> there = Units.on(t.get(), hosts.get(0)).stream().map(u -> u.name()).toList();
      if (!there.contains(d)) {
        n.problem("no daemon '" + d + "' runs on " + host + "; there: " + String.join(", ", there));
      }
    }
    return d;
  }

  private String link(String host) {
    if (!required(node, m, "link")) {
      return null;
    }
    YamlNode n = m.get("link");
    String link = n.string().orElse(null);
    List<Host> hosts = hostsOf(host);
    if (link != null
        && !hosts.isEmpty()
        && hosts.get(0).attachments().stream().noneMatch(a -> a.network().equals(link))) {
      n.problem(
          "host "
              + host
              + " has no link to network '"
              + link
              + "'; its networks: "
              + String.join(
                  ", ", hosts.get(0).attachments().stream().map(a -> a.network()).toList()));
    }
    return link;
  }

  private String rate() {
    YamlNode n = m.get("rate");
    String r = n.string().orElse(null);
    if (r != null && !TC_RATE.matcher(r).matches()) {
      n.problem("expected a rate as tc writes it, such as 512kbit or 1mbit; found '" + r + "'");
    }
    return r;
  }

  private List<List<String>> sides() {
    if (!required(node, m, "between")) {
      return List.of();
    }
    YamlNode n = m.get("between");
    List<YamlNode> items = n.sequence().orElse(List.of());
    if (items.size() != 2) {
      n.problem("a partition has two sides, such as [[lb1], [lb2]]; found " + items.size());
      return List.of();
    }
    List<List<String>> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (YamlNode side : items) {
      List<String> names = side.strings().orElse(List.of());
      if (names.isEmpty()) {
        side.problem("a side names at least one host or network");
      }
      for (String name : names) {
        if (t.isPresent() && t.get().host(name).isEmpty() && t.get().network(name).isEmpty()) {
          side.problem("'" + name + "' is neither a host nor a network of the preset");
        }
        if (!seen.add(name)) {
          side.problem("'" + name + "' is on both sides");
        }
      }
      out.add(names);
    }
    return out;
  }
}
