package dev.webinfra.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one way to wait, on a fake clock that sleeping advances. */
class PollTest {
  /** A clock that only moves when the poll sleeps. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final FakeClock clock = new FakeClock();
  final Poll poll = new Poll(clock, d -> clock.now = clock.now.plus(d));

  @Test
  void returnsTheFirstValueAttemptsYield() {
    AtomicInteger tries = new AtomicInteger();
    String v =
        poll.until(
            "thing",
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            () -> tries.incrementAndGet() < 3 ? Optional.empty() : Optional.of("ready"),
            () -> "state");

    assertThat(v).isEqualTo("ready");
    assertThat(tries).hasValue(3);
    assertThat(clock.now).isEqualTo(Instant.parse("2026-11-23T12:00:00.200Z"));
  }

  @Test
  void aTimeoutSaysWhatHowLongAndTheStateSeen() {
    assertThatThrownBy(
            () ->
                poll.until(
                    "web1/app: ready",
                    Duration.ofSeconds(2),
                    Duration.ofMillis(500),
                    () -> false,
                    () -> "last probe: connection refused"))
        .isInstanceOf(WebinfraException.class)
        .hasMessage("web1/app: ready: not after 2 s (last probe: connection refused)");
  }

  @Test
  void withinSaysWhetherItCameTrueAndNeverThrowsOnTimeout() {
    assertThat(poll.within(Duration.ofSeconds(1), Duration.ofMillis(100), () -> false)).isFalse();
    assertThat(poll.within(Duration.ofSeconds(1), Duration.ofMillis(100), () -> true)).isTrue();
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() {
    Poll interrupted =
        new Poll(
            clock,
            d -> {
              throw new InterruptedException();
            });
    try {
      assertThatThrownBy(
              () -> interrupted.within(Duration.ofSeconds(1), Duration.ofMillis(1), () -> false))
          .isInstanceOf(WebinfraException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
