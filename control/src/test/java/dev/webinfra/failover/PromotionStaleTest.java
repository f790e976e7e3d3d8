package dev.webinfra.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.database.ReplicaState;
import org.junit.jupiter.api.Test;

/** A replica that cannot receive or apply what its source holds is never promoted silently. */
class PromotionStaleTest {
  static ReplicaState state(String io, String sql, int errno, String error) {
    return new ReplicaState(
        true, "", "198.18.7.21", io, sql, errno, error, "", "1-1000-40", "1-1000-38", -1);
  }

  @Test
  void aFollowingReplicaMayBePromoted() {
    assertThat(PromotionCheck.stale("web3", state("Yes", "Yes", 0, ""), "web1")).isEmpty();
  }

  @Test
  void aBrokenIoThreadIsRefusedSayingWhyAndWhatForceWouldLose() {
    assertThat(
            PromotionCheck.stale(
                "web3", state("Connecting", "Yes", 2003, "error reconnecting to master"), "web1"))
        .hasValue(
            "db promote: refused: host web3 cannot receive from web1 (IO Connecting, SQL Yes; IO"
                + " error 2003: error reconnecting to master); it applied 1-1000-38, and whatever"
                + " web1 logged beyond that would be lost; repair its replication first, or"
                + " promote it anyway with --force");
  }

  @Test
  void aStoppedSqlThreadOrAnUnknownReplicaIsRefused() {
    assertThat(PromotionCheck.stale("web3", state("Yes", "No", 0, ""), "web1").orElseThrow())
        .contains("cannot apply what it received");
    assertThat(
            PromotionCheck.stale("web3", ReplicaState.unknown("its host is down"), "")
                .orElseThrow())
        .isEqualTo(
            "db promote: refused: host web3: its replication is unknown (its host is down), so it"
                + " may lack writes its source holds");
  }
}
