package dev.webinfra.controller;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.HostDriver;
import dev.webinfra.topology.Topology;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Recovery: acts on one finding of detection, and writes every step to the event log. */
final class Recovery {
  private final Topology t;
  private final HostDriver driver;
  private final Supervisor runner;
  private final Observer observer;
  private final RecoveryHistory history;
  private final EventLog events;
  private final Clock clock;
  private final Failover failover;
  private final Runnable primaryMoved;
  private final ReplicaMover replicas;

  Recovery(
      Topology t,
      HostDriver driver,
      Supervisor runner,
      Observer observer,
      RecoveryHistory history,
      EventLog events,
      Clock clock,
      Failover failover,
      Runnable primaryMoved,
      ReplicaMover replicas) {
    this.t = t;
    this.driver = driver;
    this.runner = runner;
    this.observer = observer;
    this.history = history;
    this.events = events;
    this.clock = clock;
    this.failover = failover;
    this.primaryMoved = primaryMoved;
    this.replicas = replicas;
  }

  /** Acts on {@code f}; the caller has marked its target busy and unmarks it after. */
  void recover(Finding f) {
    switch (f.code()) {
      case FlappingDaemon -> {
        history.block(f.target());
        events.record(
            f.host(),
            f.code().name(),
            f.target() + " " + f.reason() + "; blocked: left down until the next up");
      }
      case DeadKeepalived -> {
        releaseFloatingIp(f);
        restart(f);
      }
      case DeadDaemon -> restart(f);
      case DeadPrimary -> {
        if (failover.failOver(f)) {
          primaryMoved.run();
        }
      }
      case FencedPrimaryReturned -> {
        // A rejoin that could not make it follow is not tried again every tick; the next start
        // of the controller (around start or up) tries again.
        if (!failover.rejoin(f)) {
          history.block(f.target());
        }
      }
      case ReplicaSourceDead, ReplicaNotFollowing -> replicas.move(f);
      case HostStopped,
          HostUnreachable,
          ReplicaSqlError,
          NoMemberToFollow,
          FlappingReplica,
          UnreachablePrimary,
          FlappingPrimary,
          DeadPrimaryAndReplicas ->
          events.record(f.host(), f.code().name(), f.reason());
    }
  }

  // Before anything else: a killed keepalived leaves its floating IP on the interface, and two
  // load balancers must never hold it at once.
  private void releaseFloatingIp(Finding f) {
    t.vip()
        .ifPresent(
            v -> {
              String cidr =
                  v.address() + "/" + t.network(v.network()).orElseThrow().cidr().prefix();
              if (driver.removeAddress(f.host(), cidr, v.network())) {
                events.record(
                    f.host(),
                    f.code().name(),
                    "removed floating IP " + v.address() + " from " + f.host());
              }
            });
  }

  private void restart(Finding f) {
    DaemonSpec spec = observer.spec(f.host(), f.daemon());
    history.restarted(f.target(), clock.instant());
    events.record(f.host(), f.code().name(), f.reason() + "; restarting " + f.target());
    try {
      Fingerprint fp = runner.recorded(spec).orElse(Fingerprint.of(spec, Map.of()));
      runner.start(spec, fp, Duration.ofSeconds(120));
      events.record(
          f.host(),
          f.code().name(),
          "restarted "
              + f.target()
              + runner.instance(spec).map(i -> " (" + i + ")").orElse(" (exited since)"));
    } catch (RuntimeException e) {
      events.record(
          f.host(),
          f.code().name(),
          "restart of "
              + f.target()
              + " failed: "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }
}
