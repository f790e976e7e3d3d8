package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code database}: its topology, which db hosts hold which part, and its replication
 * settings. Whether the settings fit the topology and every db host is placed is {@link
 * DatabasePlacement}.
 */
final class DatabaseReader {
  private DatabaseReader() {}

  /**
   * The database tier; without a {@code database} block, one db host is a single server. The {@code
   * spares} are hosts it may not name: scale makes a spare with role db a replica.
   */
  static Database read(YamlNode node, YamlNode root, List<Host> hosts, Set<String> spares) {
    List<String> dbHosts = hosts.stream().filter(h -> h.has(Role.DB)).map(Host::name).toList();
    if (node == null) {
      if (dbHosts.size() > 1) {
        root.problem(
            "missing field 'database': "
                + dbHosts.size()
                + " hosts have role db ("
                + String.join(", ", dbHosts)
                + "), so say how they replicate (topology: primary-replica or galera)");
      }
      return dbHosts.size() == 1
          ? new Database(
              Database.Kind.SINGLE,
              Optional.of(dbHosts.get(0)),
              List.of(),
              List.of(),
              Optional.empty(),
              Optional.empty(),
              false,
              Database.Failover.MANUAL,
              false,
              false)
          : Database.none();
    }
    Map<String, YamlNode> m =
        node.mapping(
                Set.of(
                    "topology",
                    "primary",
                    "members",
                    "replicas",
                    "replicate_from",
                    "arbitrator",
                    "semi_sync",
                    "semi_sync_fallback",
                    "failover",
                    "causal_reads"))
            .orElse(Map.of());
    Database.Kind kind =
        Fields.required(node, m, "topology")
            .flatMap(n -> n.choice(Set.of("single", "primary-replica", "galera")))
            .map(s -> Database.Kind.valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
            .orElse(Database.Kind.NONE);
    Optional<String> primary =
        m.containsKey("primary")
            ? dbHost(m.get("primary"), hosts, spares, Role.DB)
            : Optional.empty();
    List<String> members =
        m.containsKey("members") ? dbHosts(m.get("members"), hosts, spares) : List.of();
    List<String> replicas =
        m.containsKey("replicas") ? dbHosts(m.get("replicas"), hosts, spares) : List.of();
    Optional<String> replicateFrom =
        m.containsKey("replicate_from")
            ? dbHost(m.get("replicate_from"), hosts, spares, Role.DB)
            : Optional.empty();
    Optional<String> arbitrator =
        m.containsKey("arbitrator")
            ? dbHost(m.get("arbitrator"), hosts, spares, Role.ARBITRATOR)
            : Optional.empty();
    boolean semiSync =
        m.containsKey("semi_sync")
            ? m.get("semi_sync").bool().orElse(false)
            : kind == Database.Kind.PRIMARY_REPLICA;
    Database.Failover failover =
        m.containsKey("failover")
            ? m.get("failover")
                .choice(Set.of("manual", "automatic"))
                .map(s -> Database.Failover.valueOf(s.toUpperCase(java.util.Locale.ROOT)))
                .orElse(Database.Failover.MANUAL)
            : Database.Failover.MANUAL;
    // Durability unless the operator writes otherwise: "async" trades it for availability.
    boolean asyncFallback =
        m.containsKey("semi_sync_fallback")
            && m.get("semi_sync_fallback")
                .choice(Set.of("wait", "async"))
                .filter("async"::equals)
                .isPresent();
    // Causal reads unless the operator trades them for a read's latency: a client that does not
    // see its own write is a bug to the client.
    boolean causalReads =
        kind == Database.Kind.GALERA
            && (!m.containsKey("causal_reads") || m.get("causal_reads").bool().orElse(true));

    return DatabasePlacement.place(
        node,
        m,
        new Database(
            kind,
            primary,
            members,
            replicas,
            replicateFrom,
            arbitrator,
            semiSync,
            failover,
            asyncFallback,
            causalReads),
        hosts,
        dbHosts);
  }

  private static Optional<String> dbHost(
      YamlNode n, List<Host> hosts, Set<String> spares, Role role) {
    return n.string()
        .filter(
            name -> {
              Optional<Host> h = hosts.stream().filter(x -> x.name().equals(name)).findFirst();
              if (h.isEmpty() && spares.contains(name)) {
                n.problem(
                    "host "
                        + name
                        + " is a spare, which runs only once scale adds it: the database names"
                        + " only hosts that always run (scale makes a spare with role db a"
                        + " replica)");
                return false;
              }
              if (h.isEmpty()) {
                n.problem("unknown host '" + Shown.value(name) + "'");
                return false;
              }
              if (!h.get().has(role)) {
                n.problem("host " + name + " does not have role " + role.yamlName());
                return false;
              }
              return true;
            });
  }

  private static List<String> dbHosts(YamlNode n, List<Host> hosts, Set<String> spares) {
    List<String> out = new ArrayList<>();
    n.sequence(TopologyLoader.MAX_HOSTS, "hosts are allowed, each listed once")
        .ifPresent(
            items ->
                items.forEach(
                    i ->
                        dbHost(i, hosts, spares, Role.DB)
                            .ifPresent(
                                name -> {
                                  if (out.contains(name)) {
                                    i.problem("host " + name + " is listed twice");
                                  } else {
                                    out.add(name);
                                  }
                                })));
    return out;
  }
}
