package dev.webinfra.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios for a Galera cluster's replica: what the members and the replica report at an instant
 * of a fake clock, and the analysis expected of it.
 */
class ReplicaDetectorTest {
  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  static final List<String> MEMBERS = List.of("web1", "web2");

  static ClusterSeen cluster(String web1, String web2, ClusterSeen.FollowerSeen... replicas) {
    return new ClusterSeen(MEMBERS, Map.of("web1", web1, "web2", web2), List.of(replicas));
  }

  static ClusterSeen.FollowerSeen web3(String source, String io, int errno, Instant since) {
    return new ClusterSeen.FollowerSeen("web3", true, source, io, "Yes", errno, "", since);
  }

  static List<Finding> analyze(ClusterSeen c, Instant at) {
    return ReplicaDetector.analyze(c, at, new RecoveryHistory());
  }

  @Test
  void aReplicaFollowingAMemberInThePrimaryComponentIsFine() {
    assertThat(analyze(cluster("Primary", "Primary", web3("web2", "Yes", 0, null)), T0))
        .as("nothing is wrong")
        .isEmpty();
  }

  @Test
  void aPowerCutSourceMovesTheReplicaAtOnce() {
    // web2 was stopped this very tick: web3's IO thread still says Yes, the member is gone.
    List<Finding> f = analyze(cluster("Primary", "stopped", web3("web2", "Yes", 0, null)), T0);
    assertThat(f).extracting(Finding::code).containsExactly(Analysis.ReplicaSourceDead);
    assertThat(f.get(0).target()).isEqualTo("web3/replication");
    assertThat(f.get(0).reason()).isEqualTo("its source web2 is stopped");
    assertThat(f.get(0).code().acts()).isTrue();
  }

  @Test
  void aSourceOutOfThePrimaryComponentMovesTheReplica() {
    assertThat(analyze(cluster("Primary", "non-Primary", web3("web2", "Yes", 0, null)), T0))
        .extracting(Finding::code, Finding::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Analysis.ReplicaSourceDead, "its source web2 is non-Primary"));
  }

  @Test
  void aStoppedIoThreadIsMovedAtOnceAndARetryingOneAfterTheGrace() {
    assertThat(analyze(cluster("Primary", "Primary", web3("web2", "No", 0, T0)), T0))
        .extracting(Finding::code)
        .containsExactly(Analysis.ReplicaNotFollowing);
    ClusterSeen connecting = cluster("Primary", "Primary", web3("web2", "Connecting", 2003, T0));
    assertThat(analyze(connecting, T0.plusMillis(1500)))
        .as("a source that just restarted takes a moment")
        .isEmpty();
    assertThat(analyze(connecting, T0.plus(ReplicaDetector.GRACE)))
        .extracting(Finding::code)
        .containsExactly(Analysis.ReplicaNotFollowing);
  }

  @Test
  void aReplicaOfNothingOrOfAStrangerIsMoved() {
    assertThat(analyze(cluster("Primary", "Primary", web3("", "No", 0, T0)), T0))
        .extracting(Finding::reason)
        .containsExactly("replicates from no member");
    assertThat(analyze(cluster("Primary", "Primary", web3("198.19.7.99", "Yes", 0, null)), T0))
        .extracting(Finding::code)
        .containsExactly(Analysis.ReplicaNotFollowing);
  }

  @Test
  void withNoMemberInThePrimaryComponentNothingIsDoneAndItIsSaid() {
    List<Finding> f =
        analyze(cluster("stopped", "server down", web3("web2", "Connecting", 2003, T0)), T0);
    assertThat(f).extracting(Finding::code).containsExactly(Analysis.NoMemberToFollow);
    assertThat(f.get(0).code().acts()).isFalse();
    assertThat(f.get(0).reason()).contains("web1 stopped, web2 server down");
  }

  @Test
  void anSqlErrorIsReportedNotMovedAround() {
    ClusterSeen c =
        cluster(
            "Primary",
            "Primary",
            new ClusterSeen.FollowerSeen(
                "web3", true, "web2", "Yes", "No", 0, "Duplicate entry '7'", null));
    assertThat(analyze(c, T0)).extracting(Finding::code).containsExactly(Analysis.ReplicaSqlError);
  }

  @Test
  void aReplicaThatAnswersNothingOrIsBeingMovedYieldsNothing() {
    RecoveryHistory busy = new RecoveryHistory();
    busy.begin("web3/replication");
    assertThat(
            ReplicaDetector.analyze(
                cluster("Primary", "stopped", web3("web2", "Yes", 0, null)), T0, busy))
        .as("one move at a time")
        .isEmpty();
    ClusterSeen silent =
        cluster(
            "Primary",
            "stopped",
            new ClusterSeen.FollowerSeen("web3", false, "", "", "", 0, "", null));
    assertThat(analyze(silent, T0)).as("its host's own findings say why").isEmpty();
  }

  @Test
  void aReplicaMovedTooOftenIsLeftAsItIsAndSaidSo() {
    RecoveryHistory h = new RecoveryHistory();
    for (int i = 0; i < Detector.FLAP_LIMIT; i++) {
      h.restarted("web3/replication", T0.plusSeconds(i));
    }
    ClusterSeen c = cluster("Primary", "stopped", web3("web2", "Yes", 0, null));
    assertThat(ReplicaDetector.analyze(c, T0.plusSeconds(10), h))
        .extracting(Finding::code)
        .containsExactly(Analysis.FlappingReplica);
    assertThat(ReplicaDetector.analyze(c, T0.plus(Detector.FLAP_WINDOW).plusSeconds(10), h))
        .as("the window passed: moved again")
        .extracting(Finding::code)
        .containsExactly(Analysis.ReplicaSourceDead);
  }

  @Test
  void aLabWithoutAClusterReplicaHasNoReplicaFindings() {
    assertThat(ReplicaDetector.analyze(null, T0, new RecoveryHistory())).isEmpty();
  }
}
