package dev.webinfra.controller;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Galera cluster with asynchronous replicas as the controller saw it: which members can serve a
 * replica, and what each replica follows, read from the replica itself.
 *
 * @param members every member, in topology order (the order a replica tries them in)
 * @param memberState each member's state: {@code Primary} when it is in the primary component and
 *     can serve a replica, else why not ({@code stopped}, {@code server down}, {@code non-Primary})
 * @param replicas each replica's view
 */
public record ClusterSeen(
    List<String> members, Map<String, String> memberState, List<FollowerSeen> replicas) {
  /** What a member in the primary component reports. */
  public static final String PRIMARY = "Primary";

  public ClusterSeen {
    members = List.copyOf(members);
    memberState = Map.copyOf(memberState);
    replicas = List.copyOf(replicas);
  }

  /** Whether {@code member} can serve a replica now. */
  public boolean serves(String member) {
    return PRIMARY.equals(memberState.get(member));
  }

  /** The state of {@code member}, or {@code unknown}. */
  public String state(String member) {
    return memberState.getOrDefault(member, "unknown");
  }

  /**
   * One replica.
   *
   * @param name the replica
   * @param answers its server answered (else its host's own findings say why)
   * @param source the member its {@code Master_Host} names; empty when it replicates from nothing,
   *     the address itself when no member has it
   * @param io {@code Slave_IO_Running}
   * @param sql {@code Slave_SQL_Running}
   * @param lastIoErrno {@code Last_IO_Errno}
   * @param lastSqlError {@code Last_SQL_Error}
   * @param notFollowingSince since when its IO thread has not been running cleanly, or null
   */
  public record FollowerSeen(
      String name,
      boolean answers,
      String source,
      String io,
      String sql,
      int lastIoErrno,
      String lastSqlError,
      Instant notFollowingSince) {}
}
