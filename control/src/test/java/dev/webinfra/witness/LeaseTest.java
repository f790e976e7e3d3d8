package dev.webinfra.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseTest {
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final InstantSource clock = () -> now;
  final Lease lease = new Lease(clock, Duration.ofMillis(600));

  void advance(long ms) {
    now = now.plusMillis(ms);
  }

  @Test
  void theFirstToAcquireHoldsAndTheOtherIsHeldOut() {
    assertThat(lease.peek("lb2").ok()).as("a free lease lets anyone in").isTrue();
    assertThat(lease.acquire("lb1").line()).isEqualTo("ok lb1");
    assertThat(lease.acquire("lb2").line())
        .as("acquire while lb1 holds, with the ms its lease has left")
        .isEqualTo("held lb1 600");
    advance(250);
    assertThat(lease.peek("lb2").line()).isEqualTo("held lb1 350");
    assertThat(lease.peek("lb1").line()).as("the holder may keep holding").isEqualTo("ok lb1");
  }

  @Test
  void renewalKeepsTheLeaseAndSilenceFreesItAfterTheTtl() {
    lease.acquire("lb1");
    for (int i = 0; i < 20; i++) {
      advance(100);
      assertThat(lease.acquire("lb1").ok()).as("renewal %d", i).isTrue();
      assertThat(lease.peek("lb2").ok()).isFalse();
    }
    advance(599);
    assertThat(lease.peek("lb2").ok()).as("599 ms after the last renewal").isFalse();
    advance(1);
    assertThat(lease.peek("lb2"))
        .as("600 ms after")
        .isEqualTo(new Lease.Answer(true, Optional.empty()));
    assertThat(lease.acquire("lb2").line()).isEqualTo("ok lb2");
    assertThat(lease.acquire("lb1").line())
        .as("the old holder is now held out")
        .isEqualTo("held lb2 600");
  }

  @Test
  void onlyTheHolderCanReleaseAndReleaseFreesAtOnce() {
    lease.acquire("lb1");
    assertThat(lease.release("lb2").holder()).as("lb2 cannot free lb1's lease").contains("lb1");
    assertThat(lease.peek("lb2").ok()).isFalse();
    lease.release("lb1");
    assertThat(lease.peek("lb2").ok()).as("released, without waiting for the ttl").isTrue();
  }

  @Test
  void aLeaseNeedsAPositiveTtl() {
    assertThatThrownBy(() -> new Lease(clock, Duration.ZERO))
        .hasMessageContaining("ttl must be positive");
  }
}
