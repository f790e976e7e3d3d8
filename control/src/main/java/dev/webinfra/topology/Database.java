package dev.webinfra.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the database hosts relate. {@code primary} is the writable node of a primary-replica set (or
 * the only node); {@code members} are the nodes of a multi-primary Galera cluster; {@code replicas}
 * are asynchronous replicas, of the primary or of the cluster member {@code replicateFrom}. {@code
 * asyncFallback} is the operator's explicit choice of availability over durability: a semi-sync
 * primary that no replica acknowledges falls back to asynchronous replication instead of waiting.
 * {@code causalReads} (Galera only): a client's read after its own write waits until the member it
 * reads has applied every write set the cluster committed before it ({@code wsrep_sync_wait}), so
 * the client sees its write whichever server HAProxy sends the read to.
 */
public record Database(
    Kind kind,
    Optional<String> primary,
    List<String> members,
    List<String> replicas,
    Optional<String> replicateFrom,
    Optional<String> arbitrator,
    boolean semiSync,
    Failover failover,
    boolean asyncFallback,
    boolean causalReads) {

  /** The shape of the database tier. */
  public enum Kind {
    /** No database host. */
    NONE,
    /** One server, no replication. */
    SINGLE,
    /** One writable primary, asynchronous (or semi-synchronous) replicas. */
    PRIMARY_REPLICA,
    /** A multi-primary Galera cluster, optionally with asynchronous replicas. */
    GALERA;

    /** The name used in topology files and status output. */
    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** Whether a lost primary is replaced by hand or by the controller. */
  public enum Failover {
    MANUAL,
    AUTOMATIC
  }

  public Database {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(primary, "primary");
    members = List.copyOf(members);
    replicas = List.copyOf(replicas);
    Objects.requireNonNull(replicateFrom, "replicateFrom");
    Objects.requireNonNull(arbitrator, "arbitrator");
    Objects.requireNonNull(failover, "failover");
  }

  /** No database at all. */
  public static Database none() {
    return new Database(
        Kind.NONE,
        Optional.empty(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        false,
        Failover.MANUAL,
        false,
        false);
  }

  /**
   * The same database with {@code host} as its primary: every other server of a primary-replica
   * set, the old primary included, becomes a replica of it.
   */
  public Database withPrimary(String host) {
    if (kind != Kind.PRIMARY_REPLICA) {
      throw new IllegalStateException(
          "database: only a primary-replica set has a primary to move, this is " + kind.yamlName());
    }
    List<String> all = new java.util.ArrayList<>();
    primary.ifPresent(all::add);
    all.addAll(replicas);
    all.remove(host);
    return new Database(
        kind,
        Optional.of(host),
        members,
        all,
        replicateFrom,
        arbitrator,
        semiSync,
        failover,
        asyncFallback,
        causalReads);
  }

  /** The hosts that accept writes: the primary, or every cluster member. */
  public List<String> writableHosts() {
    return switch (kind) {
      case NONE -> List.of();
      case SINGLE, PRIMARY_REPLICA -> primary.stream().toList();
      case GALERA -> members;
    };
  }

  /** Where an asynchronous replica pulls its changes from. */
  public Optional<String> replicationSource() {
    return switch (kind) {
      case PRIMARY_REPLICA -> primary;
      case GALERA -> replicateFrom.or(() -> members.stream().findFirst());
      default -> Optional.empty();
    };
  }
}
