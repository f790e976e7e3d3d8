package dev.webinfra.topology;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks that the database's settings fit its topology and that every db host has its place. */
final class DatabasePlacement {
  private DatabasePlacement() {}

  /**
   * {@code read} as placed: a setting the topology would ignore, an arbitrator that would not vote,
   * a host in two parts or a db host in none is a problem at {@code node}; topology single takes
   * its one db host as primary when none is named.
   */
  static Database place(
      YamlNode node,
      Map<String, YamlNode> m,
      Database read,
      List<Host> hosts,
      List<String> dbHosts) {
    Database.Kind kind = read.kind();
    Optional<String> primary = read.primary();
    List<String> members = read.members();
    List<String> replicas = read.replicas();
    Optional<String> replicateFrom = read.replicateFrom();
    Optional<String> arbitrator = read.arbitrator();
    notApplicable(m, kind);
    if (kind != Database.Kind.GALERA) {
      for (Host h : hosts) {
        if (h.has(Role.ARBITRATOR)) {
          node.problem(
              "host "
                  + h.name()
                  + " has role arbitrator, but an arbitrator (garbd) only runs for topology"
                  + " galera; this database is "
                  + kind.yamlName());
        }
      }
    } else {
      for (Host h : hosts) {
        if (h.has(Role.ARBITRATOR) && !arbitrator.filter(h.name()::equals).isPresent()) {
          node.problem(
              "host "
                  + h.name()
                  + " has role arbitrator but is not the database's arbitrator; name it in"
                  + " 'arbitrator', or drop the role (its garbd would vote unseen)");
        }
      }
    }
    Set<String> placed = new LinkedHashSet<>();
    switch (kind) {
      case SINGLE -> {
        if (primary.isEmpty() && dbHosts.size() == 1) {
          primary = Optional.of(dbHosts.get(0));
        } else if (primary.isEmpty()) {
          node.problem("topology single needs field 'primary' naming the one db host");
        }
        primary.ifPresent(placed::add);
      }
      case PRIMARY_REPLICA -> {
        if (primary.isEmpty() && !m.containsKey("primary")) {
          node.problem("topology primary-replica needs field 'primary'");
        }
        primary.ifPresent(placed::add);
        if (replicas.isEmpty() && !m.containsKey("replicas")) {
          node.problem("topology primary-replica needs field 'replicas'");
        }
        placed.addAll(replicas);
        if (!members.isEmpty()) {
          m.get("members")
              .problem("'members' belongs to topology galera; use 'primary' and 'replicas'");
        }
      }
      case GALERA -> {
        if (members.isEmpty() && !m.containsKey("members")) {
          node.problem("topology galera needs field 'members' naming the cluster nodes");
        }
        placed.addAll(members);
        placed.addAll(replicas);
        if (primary.isPresent()) {
          m.get("primary")
              .problem(
                  "'primary' belongs to topology primary-replica; galera members are all"
                      + " writable");
        }
        replicateFrom.ifPresent(
            r -> {
              if (!members.contains(r)) {
                m.get("replicate_from")
                    .problem(
                        "'"
                            + Shown.value(r)
                            + "' is not a galera member; members: "
                            + String.join(", ", members));
              }
            });
      }
      case NONE -> {}
    }
    for (String r : replicas) {
      if (primary.isPresent() && primary.get().equals(r) || members.contains(r)) {
        m.get("replicas").problem("host " + r + " cannot be both a replica and a writable node");
      }
    }
    for (String h : dbHosts) {
      if (kind != Database.Kind.NONE && !placed.contains(h)) {
        node.problem(
            "host "
                + h
                + " has role db but is not placed in the database (primary, members or"
                + " replicas)");
      }
    }
    return new Database(
        kind,
        primary,
        members,
        replicas,
        replicateFrom,
        arbitrator,
        read.semiSync(),
        read.failover(),
        read.asyncFallback(),
        read.causalReads());
  }

  // A setting the chosen topology would silently ignore is an error: the user meant something.
  private static void notApplicable(Map<String, YamlNode> m, Database.Kind kind) {
    Map<String, Set<Database.Kind>> appliesTo =
        Map.of(
            "replicate_from", Set.of(Database.Kind.GALERA),
            "arbitrator", Set.of(Database.Kind.GALERA),
            "members", Set.of(Database.Kind.GALERA),
            "semi_sync", Set.of(Database.Kind.PRIMARY_REPLICA),
            "causal_reads", Set.of(Database.Kind.GALERA),
            "replicas", Set.of(Database.Kind.PRIMARY_REPLICA, Database.Kind.GALERA),
            "failover", Set.of(Database.Kind.PRIMARY_REPLICA, Database.Kind.GALERA));
    appliesTo.forEach(
        (key, kinds) -> {
          if (m.containsKey(key) && kind != Database.Kind.NONE && !kinds.contains(kind)) {
            m.get(key)
                .problem(
                    "'"
                        + key
                        + "' does not apply to topology "
                        + kind.yamlName()
                        + " and would be ignored; it applies to "
                        + String.join(
                            ", ", kinds.stream().map(Database.Kind::yamlName).sorted().toList()));
          }
        });
    if (kind == Database.Kind.GALERA
        && m.containsKey("replicate_from")
        && (!m.containsKey("replicas") || m.get("replicas").isNull())) {
      m.get("replicate_from")
          .problem("'replicate_from' names the source of replicas, but there are no 'replicas'");
    }
  }
}
