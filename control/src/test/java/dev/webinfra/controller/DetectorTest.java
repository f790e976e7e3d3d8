package dev.webinfra.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.controller.Observation.DaemonSeen;
import dev.webinfra.controller.Observation.HostSeen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection scenarios: an observed state, a fake clock, and the analysis expected of it. */
class DetectorTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  static Observation seen(Instant at, HostSeen... hosts) {
    return new Observation(at, List.of(hosts));
  }

  static HostSeen host(String name, DaemonSeen... daemons) {
    return new HostSeen(name, false, true, List.of(daemons));
  }

  static DaemonSeen alive(String name) {
    return new DaemonSeen(name, true, true, false);
  }

  static DaemonSeen dead(String name) {
    return new DaemonSeen(name, true, false, false);
  }

  @Test
  void aHealthyLabHasNoFindings() {
    assertThat(
            Detector.analyze(
                seen(T0, host("web1", alive("nginx"), alive("app"))), new RecoveryHistory()))
        .as("nothing is wrong")
        .isEmpty();
  }

  @Test
  void aDeadDaemonIsFoundAndActedOn() {
    List<Finding> f =
        Detector.analyze(
            seen(T0, host("web1", alive("app"), dead("nginx"))), new RecoveryHistory());

    assertThat(f)
        .containsExactly(new Finding(Analysis.DeadDaemon, "web1", "nginx", "process gone"));
    assertThat(f.get(0).code().acts()).as("a dead daemon is restarted").isTrue();
  }

  @Test
  void aDaemonNeverStartedIsNotDead() {
    assertThat(
            Detector.analyze(
                seen(T0, host("web1", new DaemonSeen("nginx", false, false, false))),
                new RecoveryHistory()))
        .as("up has not started it yet: nothing to recover")
        .isEmpty();
  }

  @Test
  void aDeadKeepalivedStillHoldingTheFloatingIpIsItsOwnCode() {
    List<Finding> f =
        Detector.analyze(
            seen(
                T0, host("lb1", alive("haproxy"), new DaemonSeen("keepalived", true, false, true))),
            new RecoveryHistory());

    assertThat(f).extracting(Finding::code).containsExactly(Analysis.DeadKeepalived);
    assertThat(f.get(0).target()).isEqualTo("lb1/keepalived");
  }

  @Test
  void aHostStoppedOnPurposeIsReportedAndLeftAlone() {
    HostSeen stopped = new HostSeen("web2", true, false, List.of());
    List<Finding> f = Detector.analyze(seen(T0, stopped), new RecoveryHistory());

    assertThat(f).extracting(Finding::code).containsExactly(Analysis.HostStopped);
    assertThat(f.get(0).code().acts()).as("the operator stopped it: no action").isFalse();
  }

  @Test
  void aHostWhoseLinksWentDownUnaskedIsUnreachableNotDead() {
    HostSeen cut = new HostSeen("web2", false, false, List.of(dead("nginx"), dead("app")));
    List<Finding> f = Detector.analyze(seen(T0, cut), new RecoveryHistory());

    assertThat(f).extracting(Finding::code).containsExactly(Analysis.HostUnreachable);
    assertThat(f.get(0).code().acts()).isFalse();
  }

  @Test
  void aDaemonThatKeepsDyingIsFlappingAndThenBlocked() {
    RecoveryHistory h = new RecoveryHistory();
    Instant now = T0;
    for (int i = 0; i < Detector.FLAP_LIMIT; i++) {
      List<Finding> f = Detector.analyze(seen(now, host("web1", dead("app"))), h);
      assertThat(f)
          .as("restart %d", i + 1)
          .extracting(Finding::code)
          .containsExactly(Analysis.DeadDaemon);
      h.restarted("web1/app", now);
      now = now.plusSeconds(10);
    }

    List<Finding> f = Detector.analyze(seen(now, host("web1", dead("app"))), h);
    assertThat(f).extracting(Finding::code).containsExactly(Analysis.FlappingDaemon);
    assertThat(f.get(0).reason()).contains(Detector.FLAP_LIMIT + " restarts within 2 min");

    h.block("web1/app");
    assertThat(Detector.analyze(seen(now.plusSeconds(1), host("web1", dead("app"))), h))
        .as("a blocked daemon is left down and not reported again")
        .isEmpty();
  }

  @Test
  void restartsOutsideTheWindowDoNotCountAsFlapping() {
    RecoveryHistory h = new RecoveryHistory();
    for (int i = 0; i < Detector.FLAP_LIMIT; i++) {
      h.restarted("web1/app", T0.plusSeconds(i));
    }
    Instant later = T0.plus(Detector.FLAP_WINDOW).plus(Duration.ofSeconds(30));

    assertThat(Detector.analyze(seen(later, host("web1", dead("app"))), h))
        .extracting(Finding::code)
        .containsExactly(Analysis.DeadDaemon);
  }

  @Test
  void aDaemonBeingRecoveredIsNotFoundAgain() {
    RecoveryHistory h = new RecoveryHistory();
    assertThat(h.begin("web1/app")).isTrue();
    assertThat(Detector.analyze(seen(T0, host("web1", dead("app"))), h)).isEmpty();
    assertThat(h.begin("web1/app")).as("one recovery at a time per daemon").isFalse();
  }

  @Test
  void whatWasSeenBeforeARecoveryEndedIsNotActedOn() {
    RecoveryHistory h = new RecoveryHistory();
    long before = h.recoveriesEnded();
    h.begin("web1/app");
    h.end("web1/app"); // restarted while the observation below was being taken
    assertThat(Detector.analyze(seen(T0, host("web1", dead("app"))), h, before))
        .as("seen dead before its restart ended: maybe from before it")
        .isEmpty();
    assertThat(Detector.analyze(seen(T0, host("web1", dead("app"))), h, h.recoveriesEnded()))
        .as("seen dead by an observation begun after")
        .extracting(Finding::code)
        .containsExactly(Analysis.DeadDaemon);
  }
}
