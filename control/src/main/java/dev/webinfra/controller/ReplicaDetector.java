package dev.webinfra.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection for the asynchronous replicas of a Galera cluster: a pure function from what was seen
 * to analysis codes. A replica follows a member in the primary component; when its source is gone
 * or left that component, or its IO thread stopped, it must move to another member.
 */
public final class ReplicaDetector {
  /** The target of a replica's replication in the recovery history: {@code web3/replication}. */
  public static final String DAEMON = "replication";

  /**
   * How long an IO thread may retry ({@code Connecting}, or an error) while its source is in the
   * primary component before the replica is moved: a source that just restarted takes a moment.
   */
  public static final Duration GRACE = Duration.ofSeconds(2);

  private ReplicaDetector() {}

  /** The findings for {@code seen} at {@code at}; a busy or blocked replica yields none. */
  public static List<Finding> analyze(ClusterSeen seen, Instant at, RecoveryHistory history) {
    List<Finding> out = new ArrayList<>();
    if (seen == null) {
      return out;
    }
    boolean anyServes = seen.members().stream().anyMatch(seen::serves);
    for (ClusterSeen.FollowerSeen r : seen.replicas()) {
      String target = r.name() + "/" + DAEMON;
      if (!r.answers() || history.busy(target) || history.blocked(target)) {
        continue;
      }
      if (!r.lastSqlError().isEmpty()) {
        // Another source sends the same transactions: moving would not help.
        out.add(
            new Finding(
                Analysis.ReplicaSqlError,
                r.name(),
                DAEMON,
                "SQL thread stopped: " + r.lastSqlError()));
        continue;
      }
      String problem = problem(seen, r, at);
      if (problem == null) {
        continue;
      }
      if (!anyServes) {
        out.add(
            new Finding(
                Analysis.NoMemberToFollow,
                r.name(),
                DAEMON,
                problem + "; no member is in the primary component (" + states(seen) + ")"));
        continue;
      }
      int moves = history.restartsWithin(target, at, Detector.FLAP_WINDOW);
      if (moves >= Detector.FLAP_LIMIT) {
        out.add(
            new Finding(
                Analysis.FlappingReplica,
                r.name(),
                DAEMON,
                problem
                    + " after "
                    + moves
                    + " moves within "
                    + Detector.FLAP_WINDOW.toMinutes()
                    + " min; left as it is"));
        continue;
      }
      boolean sourceGone = seen.members().contains(r.source()) && !seen.serves(r.source());
      out.add(
          new Finding(
              sourceGone ? Analysis.ReplicaSourceDead : Analysis.ReplicaNotFollowing,
              r.name(),
              DAEMON,
              problem));
    }
    return out;
  }

  // Why the replica does not follow the cluster, or null when it does.
  private static String problem(ClusterSeen seen, ClusterSeen.FollowerSeen r, Instant at) {
    if (r.source().isEmpty()) {
      return "replicates from no member";
    }
    if (!seen.members().contains(r.source())) {
      return "replicates from " + r.source() + ", which is no member of the cluster";
    }
    if (!seen.serves(r.source())) {
      return "its source " + r.source() + " is " + seen.state(r.source());
    }
    if ("No".equals(r.io())) {
      return "its IO thread is stopped (source " + r.source() + ")";
    }
    boolean retrying = !"Yes".equals(r.io()) || r.lastIoErrno() != 0;
    if (retrying
        && r.notFollowingSince() != null
        && !r.notFollowingSince().plus(GRACE).isAfter(at)) {
      return "its IO thread has been "
          + (r.lastIoErrno() != 0 ? "failing (error " + r.lastIoErrno() + ")" : r.io())
          + " for "
          + Duration.between(r.notFollowingSince(), at).toMillis() / 100 / 10.0
          + " s though its source "
          + r.source()
          + " is in the primary component";
    }
    return null;
  }

  private static String states(ClusterSeen seen) {
    return String.join(", ", seen.members().stream().map(m -> m + " " + seen.state(m)).toList());
  }
}
