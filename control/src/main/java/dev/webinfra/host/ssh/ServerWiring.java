package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.Inet;
import dev.webinfra.host.Wire;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What servers stand on, as the plan sees it: their networks are the user's, there already; each
 * server is there when SSH reaches it (an unreachable one fails the plan, in one line) and holds
 * every address the topology gives it, on one of its interfaces.
 */
public final class ServerWiring {
  private ServerWiring() {}

  /** The networks and servers of {@code t}, each present or with what is missing. */
  public static List<Wire> of(Topology t, SshHostDriver driver) {
    List<Wire> out = new ArrayList<>();
    for (Network n : t.networks()) {
      out.add(new Wire(Wire.Kind.NETWORK, n.name(), true, ""));
    }
    Map<String, List<Inet>> links = links(t, driver);
    for (Host h : t.hosts()) {
      List<Inet> held = links.get(h.name());
      List<String> missing =
          h.attachments().stream()
              .filter(
                  a ->
                      held.stream()
                          .noneMatch(
                              i ->
                                  i.address().equals(a.address().toString())
                                      && (h.ssh().isEmpty()
                                          || i.link().equals(h.ssh().get().iface(a.network())))))
              .map(a -> describe(h, a))
              .toList();
      out.add(
          new Wire(
              Wire.Kind.HOST,
              h.name(),
              missing.isEmpty(),
              missing.isEmpty()
                  ? ""
                  : "missing "
                      + String.join(", ", missing)
                      + " (a server's addresses under networks: are its own, each on the"
                      + " interface named after its network unless ssh.interfaces names another)"));
    }
    return out;
  }

  // Every server's addresses, asked of all at once (the first command on each is also the one
  // that opens its SSH connection: a third of a second or more); a failure is the first host's in
  // the topology's order, as if asked one after another.
  private static Map<String, List<Inet>> links(Topology t, SshHostDriver driver) {
    Map<String, Future<List<Inet>>> asked = new LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Host h : t.hosts()) {
        asked.put(h.name(), pool.submit(() -> driver.links(h.name())));
      }
      Map<String, List<Inet>> out = new LinkedHashMap<>();
      for (var e : asked.entrySet()) {
        try {
          out.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException x) {
          throw x.getCause() instanceof RuntimeException re
              ? re
              : new IllegalStateException(x.getCause());
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          throw WebinfraException.unexpectedState(
              "host " + e.getKey() + ": interrupted while asking its addresses", x);
        }
      }
      return out;
    }
  }

  private static String describe(Host h, Attachment a) {
    return a.address()
        + " on interface "
        + h.ssh().map(s -> s.iface(a.network())).orElse(a.network())
        + " (network "
        + a.network()
        + ")";
  }
}
