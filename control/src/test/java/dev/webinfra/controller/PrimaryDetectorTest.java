package dev.webinfra.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.controller.Observation.DaemonSeen;
import dev.webinfra.controller.Observation.DatabaseSeen;
import dev.webinfra.controller.Observation.HostSeen;
import dev.webinfra.controller.Observation.ReplicaSeen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover's detection scenarios: what the controller and the replicas see of the
 * primary, a fake clock, and the analysis expected.
 */
class PrimaryDetectorTest {
  static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  static ReplicaSeen streaming(String name) {
    return new ReplicaSeen(name, true, true, "Yes", 0, "0-1-42", "0-1-42");
  }

  static ReplicaSeen lostIt(String name, String received) {
    return new ReplicaSeen(name, true, true, "Connecting", 2003, received, received);
  }

  /** Streams happily, but from another server than the primary: a stale view. */
  static ReplicaSeen streamingFromElsewhere(String name) {
    return new ReplicaSeen(name, true, false, "Yes", 0, "0-1-42", "0-1-42");
  }

  static ReplicaSeen down(String name) {
    return new ReplicaSeen(name, false, false, "", 0, "", "");
  }

  static Observation seen(Instant at, boolean reachable, ReplicaSeen... replicas) {
    return new Observation(
        at,
        List.of(
            new HostSeen("web1", true, false, List.of()),
            new HostSeen(
                "web2", false, true, List.of(new DaemonSeen("mariadb", true, true, false)))),
        new DatabaseSeen("web1", reachable, List.of(replicas), List.of()));
  }

  static List<Analysis> codes(List<Finding> f) {
    return f.stream().map(Finding::code).filter(c -> c != Analysis.HostStopped).toList();
  }

  @Test
  void aReachablePrimaryIsLeftAlone() {
    assertThat(codes(Detector.analyze(seen(T0, true), new RecoveryHistory())))
        .as("the controller reaches the primary: the replicas are not even asked")
        .isEmpty();
  }

  @Test
  void aDeadPrimaryWhoseReplicasLostItTooIsFailedOver() {
    List<Finding> f =
        Detector.analyze(
            seen(T0, false, lostIt("web2", "0-1-42"), lostIt("web3", "0-1-41")),
            new RecoveryHistory());

    assertThat(codes(f)).containsExactly(Analysis.DeadPrimary);
    Finding dead =
        f.stream().filter(x -> x.code() == Analysis.DeadPrimary).findFirst().orElseThrow();
    assertThat(dead.target()).isEqualTo("web1/mariadb");
    assertThat(dead.code().acts()).as("a dead primary is failed over").isTrue();
    assertThat(dead.reason()).contains("web2 IO Connecting errno 2003");
  }

  @Test
  void anUnreachablePrimaryThatAReplicaStillStreamsFromTriggersNothing() {
    List<Finding> f =
        Detector.analyze(
            seen(T0, false, streaming("web2"), lostIt("web3", "0-1-41")), new RecoveryHistory());

    assertThat(codes(f)).containsExactly(Analysis.UnreachablePrimary);
    assertThat(Analysis.UnreachablePrimary.acts())
        .as("web2 still replicates: the primary lives, failing over would split the brain")
        .isFalse();
  }

  @Test
  void aPrimaryThatDiesAgainWithinTheBlockPeriodIsFlappingUntilTheBlockEnds() {
    RecoveryHistory h = new RecoveryHistory();
    h.failedOver(T0);

    assertThat(codes(Detector.analyze(seen(T0.plusSeconds(10), false, lostIt("web2", "0-2-9")), h)))
        .as("10 s after a failover: blocked")
        .containsExactly(Analysis.FlappingPrimary);
    assertThat(Analysis.FlappingPrimary.acts()).isFalse();
    assertThat(
            codes(
                Detector.analyze(
                    seen(
                        T0.plus(PrimaryDetector.BLOCK).plusSeconds(1),
                        false,
                        lostIt("web2", "0-2-9")),
                    h)))
        .as("after the block period the failover goes ahead")
        .containsExactly(Analysis.DeadPrimary);
  }

  @Test
  void withEveryReplicaDownThereIsNothingToPromote() {
    List<Finding> f =
        Detector.analyze(seen(T0, false, down("web2"), down("web3")), new RecoveryHistory());

    assertThat(codes(f)).containsExactly(Analysis.DeadPrimaryAndReplicas);
    assertThat(Analysis.DeadPrimaryAndReplicas.acts()).isFalse();
  }

  @Test
  void aFailoverUnderWayIsNotStartedTwice() {
    RecoveryHistory h = new RecoveryHistory();
    h.begin("web1/mariadb");

    assertThat(codes(Detector.analyze(seen(T0, false, lostIt("web2", "0-1-42")), h)))
        .as("the recovery of web1/mariadb is busy")
        .isEmpty();
  }

  @Test
  void aDeadPrimaryServerOnAnUpHostIsFailedOverNotRestarted() {
    Observation o =
        new Observation(
            T0,
            List.of(
                new HostSeen(
                    "web1",
                    false,
                    true,
                    List.of(
                        new DaemonSeen("mariadb", true, false, false),
                        new DaemonSeen("nginx", true, false, false)))),
            new DatabaseSeen("web1", false, List.of(lostIt("web2", "0-1-42")), List.of()));

    List<Finding> f = Detector.analyze(o, new RecoveryHistory());

    assertThat(f)
        .extracting(Finding::code, Finding::target)
        .as("nginx is restarted; the primary's server may hold unacknowledged writes")
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Analysis.DeadDaemon, "web1/nginx"),
            org.assertj.core.groups.Tuple.tuple(Analysis.DeadPrimary, "web1/mariadb"));
  }

  @Test
  void aFencedOldPrimaryThatRunsAgainRejoinsOnce() {
    Observation o =
        new Observation(
            T0.plus(Duration.ofMinutes(1)),
            List.of(),
            new DatabaseSeen("web2", true, List.of(), List.of("web1")));
    RecoveryHistory h = new RecoveryHistory();

    assertThat(Detector.analyze(o, h))
        .extracting(Finding::code, Finding::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Analysis.FencedPrimaryReturned, "web1/mariadb"));

    h.block("web1/mariadb");
    assertThat(Detector.analyze(o, h))
        .as("a rejoin that failed is not retried each tick")
        .isEmpty();
  }

  @Test
  void aReplicaStreamingFromAnotherServerDoesNotVouchForThePrimary() {
    List<Finding> f =
        Detector.analyze(
            seen(T0, false, streamingFromElsewhere("web2"), lostIt("web3", "0-1-42")),
            new RecoveryHistory());
    assertThat(codes(f))
        .as("web2 streams, but not from web1: only web3 speaks of web1, and it lost it")
        .containsExactly(Analysis.DeadPrimary);
  }
}
