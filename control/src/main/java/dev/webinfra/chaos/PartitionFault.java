package dev.webinfra.chaos;

import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Drop all traffic between two sides, each of hosts or networks: every host on one side gets an
 * nftables table of its own dropping packets to and from the other side's addresses (a network
 * stands for its whole range). Undo deletes those tables; the hosts' own firewalls are untouched.
 */
record PartitionFault(FaultSpec spec, int index) implements Fault {
  @Override
  public String inject(ChaosLab lab, Consumer<Undo> record) {
    Topology t = lab.topology();
    String table = "inet webinfra_chaos_" + index;
    List<String> a = spec.sides().get(0);
    List<String> b = spec.sides().get(1);
    List<String> done = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      Set<String> other = addresses(t, side == 0 ? b : a);
      for (String host : hosts(t, side == 0 ? a : b)) {
        record.accept(new Undo("nft", host, table));
        lab.run(host, "partition table " + table, List.of("nft", "-f", "-"), ruleset(table, other));
        done.add(host);
      }
    }
    return "partitioned " + a + " from " + b + " (nftables table " + table + " in " + done + ")";
  }

  /** The table: dropped both ways, before the host's own firewall (priority -5 before 0). */
  static String ruleset(String table, Set<String> other) {
    String set = "{ " + String.join(", ", other) + " }";
    return "table "
        + table
        + " {\n"
        + "  chain input { type filter hook input priority -5; policy accept; ip saddr "
        + set
        + " drop; }\n"
        + "  chain output { type filter hook output priority -5; policy accept; ip daddr "
        + set
        + " drop; }\n"
        + "}\n";
  }

  /** The hosts a side names: hosts by name, and every host on a network it names. */
  static Set<String> hosts(Topology t, List<String> side) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : side) {
      if (t.host(n).isPresent()) {
        out.add(n);
      } else {
        t.hosts().stream()
            .filter(h -> h.attachments().stream().anyMatch(x -> x.network().equals(n)))
            .forEach(h -> out.add(h.name()));
      }
    }
    return out;
  }

  /** The addresses a side stands for: its hosts' addresses, or its networks' ranges. */
  static Set<String> addresses(Topology t, List<String> side) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : side) {
      if (t.host(n).isPresent()) {
        Host h = t.host(n).get();
        h.attachments().stream().map(Attachment::address).forEach(x -> out.add(x.toString()));
      } else {
        t.network(n).ifPresent(net -> out.add(net.cidr().toString()));
      }
    }
    return out;
  }
}
