package dev.webinfra.witness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuardRoundTest {
  @Test
  void aHolderWhoseHaproxyAnswersRenewsTheLeaseAndAnyOtherOnlyPeeks() {
    assertThat(GuardRound.op(true, 0)).isEqualTo("acquire");
    assertThat(GuardRound.op(true, 1)).isEqualTo("acquire");
    assertThat(GuardRound.op(true, 2)).as("haproxy missed twice").isEqualTo("peek");
    assertThat(GuardRound.op(false, 0)).isEqualTo("peek");
  }

  @Test
  void theWitnessDecidesWhileHaproxyAnswers() {
    assertThat(GuardRound.next(true, 0, true, "ok lb1"))
        .isEqualTo(new GuardRound(0, 0, false, false));
    assertThat(GuardRound.next(false, 0, true, "held lb1"))
        .as("another holds a live lease: stay out")
        .isEqualTo(new GuardRound(0, 1, false, false));
    assertThat(GuardRound.next(false, 0, true, ""))
        .as("no answer from the witness: VRRP alone decides")
        .isEqualTo(new GuardRound(0, 0, false, false));
  }

  @Test
  void oneMissedAnswerIsForgivenAndASecondHoldsTheLoadBalancerOut() {
    GuardRound first = GuardRound.next(true, 0, false, "ok lb1");
    assertThat(first).isEqualTo(new GuardRound(1, 0, false, false));
    GuardRound second = GuardRound.next(true, first.missed(), false, "ok lb1");
    assertThat(second)
        .as("a holder with a hung haproxy gives the lease back and resets its connections")
        .isEqualTo(new GuardRound(2, 1, true, true));
    assertThat(GuardRound.next(false, 1, false, ""))
        .as("a standby with a dead haproxy stays out, with nothing to give back")
        .isEqualTo(new GuardRound(2, 1, false, false));
    assertThat(GuardRound.next(false, 5, true, "ok lb2").missed())
        .as("an answer starts the count again")
        .isZero();
  }

  @Test
  void aStandbyAsksAgainJustAsTheOthersLeaseRunsOut() {
    java.time.Duration round = java.time.Duration.ofMillis(100);
    assertThat(GuardRound.pause("held lb1 550", round))
        .as("a lease being renewed")
        .isEqualTo(round);
    assertThat(GuardRound.pause("held lb1 40", round))
        .as("its last 40 ms, and 5 more")
        .isEqualTo(java.time.Duration.ofMillis(45));
    assertThat(GuardRound.pause("held lb1 0", round)).isEqualTo(java.time.Duration.ofMillis(5));
    assertThat(GuardRound.pause("held lb1", round))
        .as("a witness that says no time")
        .isEqualTo(round);
    assertThat(GuardRound.pause("ok lb1", round)).isEqualTo(round);
    assertThat(GuardRound.pause("ok -", round)).isEqualTo(round);
    assertThat(GuardRound.pause("", round)).as("no answer").isEqualTo(round);
    assertThat(GuardRound.pause("held lb1 soon", round)).isEqualTo(round);
  }
}
