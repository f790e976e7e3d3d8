package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an injected fault is undone: its whole duration after injection, never before its end. */
class InjectionTest {

  private static Injection injectedAt(double atS) {
    FaultSpec freeze =
        new FaultSpec(
            "active-haproxy-freeze",
            Duration.ofSeconds(40),
            Duration.ofSeconds(5),
            Kind.FREEZE,
            "@vip",
            "haproxy",
            List.of(),
            null,
            null,
            null,
            null,
            0,
            null);
    return new Injection(freeze, atS, Double.NaN, "", null, List.of());
  }

  @Test
  void aFaultInjectedOnTimeEndsAtItsScheduledEnd() {
    assertThat(injectedAt(40.0).undoAt()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aFaultInjectedLateStillLastsItsWholeDuration() {
    // The tour's freeze once came at +47.0 s, after a slow power-on, and was undone at +48.2 s.
    assertThat(injectedAt(47.0).undoAt()).isEqualTo(Duration.ofSeconds(52));
  }
}
