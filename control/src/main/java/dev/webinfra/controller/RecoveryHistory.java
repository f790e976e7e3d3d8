package dev.webinfra.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the controller has done lately: each daemon's recent restarts, the daemons it gave up on
 * (the anti-flapping block), those it is restarting right now, and its last failover. Time comes
 * from the caller.
 */
public final class RecoveryHistory {
  private final Map<String, Deque<Instant>> restarts = new HashMap<>();
  private final Set<String> blocked = new HashSet<>();
  private final Set<String> busy = new HashSet<>();
  private final Map<String, Long> endedAs = new HashMap<>();
  private long ended;
  private Instant lastFailover;

  /** Notes a failover at {@code at}: the anti-flapping block period starts. */
  public synchronized void failedOver(Instant at) {
    lastFailover = at;
  }

  /** The last failover, if any (kept across controller restarts by the caller). */
  public synchronized java.util.Optional<Instant> lastFailover() {
    return java.util.Optional.ofNullable(lastFailover);
  }

  /** The restarts of {@code target} within {@code window} before {@code now}. */
  public synchronized int restartsWithin(String target, Instant now, Duration window) {
    Deque<Instant> d = restarts.getOrDefault(target, new ArrayDeque<>());
    while (!d.isEmpty() && d.peekFirst().isBefore(now.minus(window))) {
      d.removeFirst();
    }
    return d.size();
  }

  /** Notes a restart of {@code target} at {@code at}. */
  public synchronized void restarted(String target, Instant at) {
    restarts.computeIfAbsent(target, k -> new ArrayDeque<>()).addLast(at);
  }

  /** Blocks {@code target}: it is left down until the next {@code up}. */
  public synchronized void block(String target) {
    blocked.add(target);
  }

  /** Whether {@code target} is blocked. */
  public synchronized boolean blocked(String target) {
    return blocked.contains(target);
  }

  /** Marks {@code target} as being recovered; false if it already was. */
  public synchronized boolean begin(String target) {
    return busy.add(target);
  }

  /** Marks the recovery of {@code target} as over. */
  public synchronized void end(String target) {
    busy.remove(target);
    endedAs.put(target, ++ended);
  }

  /**
   * How many recoveries have ended so far: taken before an observation starts, it tells {@link
   * #endedSince} which of what the observation saw may be stale.
   */
  public synchronized long recoveriesEnded() {
    return ended;
  }

  /**
   * Whether a recovery of {@code target} ended after {@code mark} ({@link #recoveriesEnded}) was
   * taken. An observation that began before then may have seen the daemon still dead, or the pid it
   * had before its restart: acting on it would start a second copy beside the one just started.
   */
  public synchronized boolean endedSince(String target, long mark) {
    return endedAs.getOrDefault(target, 0L) > mark;
  }

  /** Whether {@code target} is being recovered now. */
  public synchronized boolean busy(String target) {
    return busy.contains(target);
  }
}
