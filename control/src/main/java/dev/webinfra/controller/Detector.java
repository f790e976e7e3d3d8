package dev.webinfra.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection: a pure function from what was seen (and what was done lately) to analysis codes.
 * Recovery is another step. A daemon restarted {@link #FLAP_LIMIT} times within {@link
 * #FLAP_WINDOW} is flapping, and is left down rather than restarted forever.
 */
public final class Detector {
  /** Restarts allowed per daemon within {@link #FLAP_WINDOW} before the controller stops trying. */
  public static final int FLAP_LIMIT = 5;

  /** The window in which restarts are counted. */
  public static final Duration FLAP_WINDOW = Duration.ofMinutes(2);

  private Detector() {}

  /** The findings for {@code seen}; a blocked or busy daemon yields none. */
  public static List<Finding> analyze(Observation seen, RecoveryHistory history) {
    return analyze(seen, history, Long.MAX_VALUE);
  }

  /**
   * As {@link #analyze(Observation, RecoveryHistory)}, for an observation that began when {@code
   * mark} recoveries had ended: a daemon whose recovery ended since then yields none (what was seen
   * of it may be from before its restart). In the tour a stale "dead" dnsmasq was restarted beside
   * the live one: the copy failed to bind, its readiness probe passed on the live one's answer, and
   * its dead pid was recorded, so the controller restarted it again and again until it blocked it.
   */
  public static List<Finding> analyze(Observation seen, RecoveryHistory history, long mark) {
    List<Finding> out = new ArrayList<>();
    // Under automatic failover a dead primary is failed over, never restarted in place: it may
    // hold transactions no replica acknowledged.
    String primary = seen.database() == null ? null : seen.database().primary();
    for (Observation.HostSeen h : seen.hosts()) {
      if (h.stoppedOnPurpose()) {
        out.add(new Finding(Analysis.HostStopped, h.name(), null, "stopped by an operator"));
        continue;
      }
      List<Observation.DaemonSeen> dead =
          h.daemons().stream()
              .filter(d -> d.started() && !d.alive())
              .filter(d -> !(h.name().equals(primary) && d.name().equals("mariadb")))
              .filter(d -> !history.blocked(h.name() + "/" + d.name()))
              .filter(d -> !history.busy(h.name() + "/" + d.name()))
              .filter(d -> !history.endedSince(h.name() + "/" + d.name(), mark))
              .toList();
      if (dead.isEmpty()) {
        continue;
      }
      if (!h.linksUp()) {
        out.add(
            new Finding(
                Analysis.HostUnreachable,
                h.name(),
                null,
                "links down but not stopped by an operator; "
                    + dead.size()
                    + " daemon(s) unreachable"));
        continue;
      }
      for (Observation.DaemonSeen d : dead) {
        String target = h.name() + "/" + d.name();
        int recent = history.restartsWithin(target, seen.at(), FLAP_WINDOW);
        if (recent >= FLAP_LIMIT) {
          out.add(
              new Finding(
                  Analysis.FlappingDaemon,
                  h.name(),
                  d.name(),
                  "died again after "
                      + recent
                      + " restarts within "
                      + FLAP_WINDOW.toMinutes()
                      + " min"));
        } else if (d.holdsFloatingIp()) {
          out.add(
              new Finding(
                  Analysis.DeadKeepalived,
                  h.name(),
                  d.name(),
                  "process gone while its host still holds the floating IP"));
        } else {
          out.add(new Finding(Analysis.DeadDaemon, h.name(), d.name(), "process gone"));
        }
      }
    }
    out.addAll(
        PrimaryDetector.analyze(seen.database(), seen.at(), history).stream()
            .filter(
                f ->
                    !f.code().acts()
                        || !(history.busy(f.target())
                            || history.blocked(f.target())
                            || history.endedSince(f.target(), mark)))
            .toList());
    out.addAll(ReplicaDetector.analyze(seen.cluster(), seen.at(), history));
    return out;
  }
}
