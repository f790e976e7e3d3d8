package dev.webinfra.controller;

import dev.webinfra.controller.Observation.DatabaseSeen;
import dev.webinfra.controller.Observation.ReplicaSeen;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Holistic detection of a primary's death, as orchestrator's: the primary is dead only when the
 * controller cannot reach it and no replica still streams from it. A primary that dies again within
 * {@link #BLOCK} of a failover is left alone: failing over back and forth loses more than it saves.
 */
public final class PrimaryDetector {
  /** The anti-flapping block period after a failover. */
  public static final Duration BLOCK = Duration.ofSeconds(30);

  private PrimaryDetector() {}

  /** The findings about the primary in {@code db} (null: no automatic failover) at {@code now}. */
  public static List<Finding> analyze(DatabaseSeen db, Instant now, RecoveryHistory history) {
    List<Finding> out = new ArrayList<>();
    if (db == null) {
      return out;
    }
    for (String back : db.fencedBack()) {
      out.add(
          new Finding(
              Analysis.FencedPrimaryReturned,
              back,
              "mariadb",
              "the old primary, fenced by a failover, runs again"));
    }
    if (db.reachable()) {
      return out;
    }
    String p = db.primary();
    List<ReplicaSeen> streaming =
        db.replicas().stream().filter(ReplicaSeen::stillReplicates).toList();
    if (!streaming.isEmpty()) {
      out.add(
          new Finding(
              Analysis.UnreachablePrimary,
              p,
              "mariadb",
              "the controller cannot reach it but "
                  + names(streaming)
                  + " still replicate(s) from it; no action"));
      return out;
    }
    List<ReplicaSeen> answering = db.replicas().stream().filter(ReplicaSeen::answers).toList();
    if (answering.isEmpty()) {
      out.add(
          new Finding(
              Analysis.DeadPrimaryAndReplicas,
              p,
              "mariadb",
              "the primary and every replica are down; nothing can be promoted"));
      return out;
    }
    Optional<Instant> last = history.lastFailover();
    if (last.isPresent() && now.isBefore(last.get().plus(BLOCK))) {
      out.add(
          new Finding(
              Analysis.FlappingPrimary,
              p,
              "mariadb",
              "dead again "
                  + Duration.between(last.get(), now).toSeconds()
                  + " s after the last failover; blocked until "
                  + last.get().plus(BLOCK)
                  + " (block period "
                  + BLOCK.toSeconds()
                  + " s)"));
      return out;
    }
    out.add(
        new Finding(
            Analysis.DeadPrimary,
            p,
            "mariadb",
            "unreachable, and its replicas lost it too: "
                + answering.stream()
                    .map(r -> r.name() + " IO " + r.ioRunning() + " errno " + r.lastIoErrno())
                    .collect(Collectors.joining(", "))));
    return out;
  }

  private static String names(List<ReplicaSeen> rs) {
    return rs.stream().map(ReplicaSeen::name).collect(Collectors.joining(", "));
  }
}
