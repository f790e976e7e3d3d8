package dev.webinfra.controller;

/**
 * What the controller can find wrong with a lab: a closed set, as orchestrator's analysis codes.
 * Each code says whether the controller acts on it.
 */
public enum Analysis {
  /** A daemon that ran has died while its host is up: restart it. */
  DeadDaemon(true),
  /** keepalived died while its host still holds the floating IP: release the IP, then restart. */
  DeadKeepalived(true),
  /** A daemon died again and again within the flapping window: leave it down, say so once. */
  FlappingDaemon(true),
  /** A host an operator stopped on purpose: nothing to do until it is started. */
  HostStopped(false),
  /** A host whose links are down though nobody stopped it: its daemons cannot be reached. */
  HostUnreachable(false),
  /** The controller cannot reach the primary and its replicas lost it too: fail over. */
  DeadPrimary(true),
  /** The controller cannot reach the primary but a replica still streams from it: no action. */
  UnreachablePrimary(false),
  /** The primary died within the block period after a failover: no action until it ends. */
  FlappingPrimary(false),
  /** The primary and every replica are gone: nothing can be promoted. */
  DeadPrimaryAndReplicas(false),
  /** A primary fenced by a failover runs again: check it is read-only, make it follow, unfence. */
  FencedPrimaryReturned(true),
  /** A replica of a Galera cluster whose source is down or out of the primary component: move. */
  ReplicaSourceDead(true),
  /** A replica of a Galera cluster whose IO thread does not follow a live member: move it. */
  ReplicaNotFollowing(true),
  /** A replica whose SQL thread stopped on an error: another source would not help; report. */
  ReplicaSqlError(false),
  /** A replica that does not follow, with no member in the primary component to follow. */
  NoMemberToFollow(false),
  /** A replica moved again and again within the flapping window: left as it is, said once. */
  FlappingReplica(false);

  private final boolean acts;

  Analysis(boolean acts) {
    this.acts = acts;
  }

  /** Whether recovery does something for this code (others are only reported). */
  public boolean acts() {
    return acts;
  }
}
