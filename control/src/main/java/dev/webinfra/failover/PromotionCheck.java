package dev.webinfra.failover;

import dev.webinfra.WebinfraException;
import dev.webinfra.database.ReplicaState;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The pure rules of promotion: which replicas may become the primary, and, with the old primary
 * gone, which one holds every acknowledged write. An operator's {@code db promote} and the
 * controller's automatic failover both go through these.
 */
public final class PromotionCheck {
  private PromotionCheck() {}

  /** Fails, saying why, unless {@code candidate} may be promoted in {@code t} at all. */
  public static Host candidate(Topology t, String candidate) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA) {
      throw WebinfraException.invalidInput(
          "db promote: lab "
              + t.lab()
              + " has database topology "
              + db.kind().yamlName()
              + "; promotion moves the primary of a primary-replica set"
              + (db.kind() == Database.Kind.GALERA
                  ? " (every Galera member is already writable)"
                  : ""));
    }
    Host cand =
        t.host(candidate)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "db promote: host " + candidate + " is not in lab " + t.lab()));
    if (db.primary().orElseThrow().equals(candidate)) {
      throw WebinfraException.invalidInput(
          "db promote: host " + candidate + " is already the primary");
    }
    if (!db.replicas().contains(candidate)) {
      throw WebinfraException.invalidInput(
          "db promote: host "
              + candidate
              + " is not a replica; replicas: "
              + String.join(", ", db.replicas()));
    }
    if (!cand.settings().db().binlog()) {
      throw WebinfraException.invalidInput(
          "db promote: host " + candidate + " has db.binlog false, so no replica could follow it");
    }
    return cand;
  }

  /**
   * Why {@code candidate}, as it reports itself, must not be promoted while its source may still
   * hold writes it lacks: its IO thread is stopped or failing (so it cannot receive them), or its
   * SQL thread stopped (so it cannot apply them), or nothing is known of it. Empty when it follows.
   *
   * @param source the server it replicates from, for the message
   */
  public static Optional<String> stale(String candidate, ReplicaState s, String source) {
    if (!s.known()) {
      return Optional.of(
          "db promote: refused: host "
              + candidate
              + ": its replication is unknown ("
              + s.unknownWhy()
              + "), so it may lack writes its source holds");
    }
    if (s.ioBroken() || !"Yes".equals(s.sql())) {
      return Optional.of(
          "db promote: refused: host "
              + candidate
              + (s.ioBroken()
                  ? " cannot receive from " + (source.isEmpty() ? "any source" : source)
                  : " cannot apply what it received")
              + " ("
              + s.describe()
              + "); it applied "
              + (s.applied().isEmpty() ? "nothing" : s.applied())
              + ", and whatever "
              + (source.isEmpty() ? "its source" : source)
              + " logged beyond that would be lost; repair its replication first, or promote it"
              + " anyway with --force");
    }
    return Optional.empty();
  }

  /**
   * With the primary gone, the replica that received the most: semi-sync guarantees that every
   * acknowledged write reached at least one replica, so only that one may be promoted.
   *
   * @param received each live replica's received GTID position ({@code Gtid_IO_Pos})
   * @return a replica that received more than {@code candidate}, if there is one
   */
  public static Optional<String> aheadOf(String candidate, Map<String, String> received) {
    long mine = seq(received.getOrDefault(candidate, ""));
    return received.entrySet().stream()
        .filter(e -> !e.getKey().equals(candidate) && seq(e.getValue()) > mine)
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** The replica that received the most (the first named among equals). */
  public static Optional<String> mostAdvanced(Map<String, String> received) {
    return received.entrySet().stream()
        .reduce((a, b) -> seq(b.getValue()) > seq(a.getValue()) ? b : a)
        .map(Map.Entry::getKey);
  }

  /** The sequence number of domain 0 in a GTID position such as {@code 0-1-42,1-2-7}. */
  public static long seq(String gtid) {
    return Arrays.stream(gtid.split(","))
        .map(String::strip)
        .filter(g -> g.startsWith("0-"))
        .mapToLong(g -> Long.parseLong(g.substring(g.lastIndexOf('-') + 1)))
        .max()
        .orElse(0);
  }
}
