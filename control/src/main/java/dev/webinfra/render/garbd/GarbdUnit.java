package dev.webinfra.render.garbd;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The Galera arbitrator: a vote without data, on an {@code arbitrator} host of a Galera design. */
public final class GarbdUnit implements DaemonUnit {
  @Override
  public String name() {
    return "garbd";
  }

  @Override
  public List<String> packages() {
    return List.of("galera-arbitrator-4");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.ARBITRATOR) && t.database().kind() == Database.Kind.GALERA;
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String members =
        t.database().members().stream()
            .map(m -> t.host(m).orElseThrow().addressFor(host) + ":4567")
            .collect(Collectors.joining(","));
    return DaemonSpec.builder(
            host.name(),
            name(),
            List.of(
                "garbd",
                "--address",
                "gcomm://" + members,
                "--group",
                MariadbRenderer.clusterName(t),
                "--name",
                host.name(),
                "--options",
                "gmcast.listen_addr=tcp://"
                    + host.primaryAddress()
                    + ":4567;"
                    + MariadbRenderer.EVS_OPTIONS),
            p.log().resolve("garbd.log"))
        // Ready once connected to a member (its vote counts from then on): garbd listens on nothing
        // of its own.
        .readiness(Readiness.connected(4567))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host) || t.database().arbitrator().filter(host.name()::equals).isEmpty()) {
      return List.of();
    }
    return t.database().members().stream()
        .map(m -> Flow.tcp(m, host.name(), 4567, "Galera group communication", Flow.Kind.GALERA))
        .toList();
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(Listener.tcp(name(), 4567, Set.of(host.primaryAddress())));
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(garbd)");
  }
}
