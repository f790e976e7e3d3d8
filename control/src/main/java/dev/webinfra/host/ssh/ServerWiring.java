package dev.webinfra.host.ssh;

import dev.webinfra.host.HostDriver;
import dev.webinfra.host.Wire;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What servers stand on, as the plan sees it: their networks are the user's, there already; each
 * server is there when SSH reaches it (an unreachable one fails the plan, in one line) and holds
 * every address the topology gives it, on one of its interfaces.
 */
public final class ServerWiring {
  private ServerWiring() {}

  /** The networks and servers of {@code t}, each present or with what is missing. */
  public static List<Wire> of(Topology t, HostDriver driver) {
    List<Wire> out = new ArrayList<>();
    for (Network n : t.networks()) {
      out.add(new Wire(Wire.Kind.NETWORK, n.name(), true, ""));
    }
    for (Host h : t.hosts()) {
      Set<String> held = driver.addresses(h.name());
      List<String> missing =
          h.attachments().stream()
              .filter(a -> !held.contains(a.address().toString()))
              .map(ServerWiring::describe)
              .toList();
      out.add(
          new Wire(
              Wire.Kind.HOST,
              h.name(),
              missing.isEmpty(),
              missing.isEmpty()
                  ? ""
                  : "not on any of its interfaces: "
                      + String.join(", ", missing)
                      + " (a server's addresses under networks: are its own)"));
    }
    return out;
  }

  private static String describe(Attachment a) {
    return a.address() + " (" + a.network() + ")";
  }
}
