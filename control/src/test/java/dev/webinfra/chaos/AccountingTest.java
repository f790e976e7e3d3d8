package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.events.Event;
import dev.webinfra.load.Second;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountingTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** A timeline at 10 requests a second where {@code failed[s]} of second s failed. */
  static List<Second> timeline(int... failed) {
    List<Second> out = new ArrayList<>();
    for (int s = 0; s < failed.length; s++) {
      out.add(new Second(s, 10, 10 - failed[s], failed[s], Map.of("5xx", (long) failed[s]), 5));
    }
    return out;
  }

  static Injection inj(String name, double at) {
    FaultSpec spec =
        new FaultSpec(
            name,
            Duration.ofMillis((long) (at * 1000)),
            Duration.ofSeconds(2),
            Kind.KILL,
            "web1",
            "app",
            null,
            null,
            null,
            null,
            null,
            0,
            null);
    return new Injection(spec, at, at + 2, "killed app on web1 (pid 1)", null, List.of());
  }

  @Test
  void recoveryIsTheFirstHealthySecondAfterTheFirstUnhealthyOneFromTheInjection() {
    // Injected at 2.4 s; seconds 3 and 4 fail; 5 is healthy again: 5 - 2.4 = 2.6 s.
    List<Second> t = timeline(0, 0, 0, 4, 1, 0, 0, 0);
    assertThat(Accounting.recoveredAfter(t, 10, 2.4, 2, 8)).isEqualTo(2.6);
  }

  @Test
  void aFaultThatDisturbsNothingRecoveredAfterZero() {
    assertThat(Accounting.recoveredAfter(timeline(0, 0, 0, 0), 10, 1.0, 1, 4)).isEqualTo(0.0);
  }

  @Test
  void aSiteStillFailingAtTheEndOfTheWindowHasNotRecovered() {
    assertThat(Accounting.recoveredAfter(timeline(0, 3, 3, 3), 10, 1.0, 1, 4)).isNull();
  }

  @Test
  void aSecondBelowNinetyPercentOfTheRateIsNotNormalEvenWithoutFailures() {
    Second slow = new Second(0, 8, 8, 0, Map.of(), 5);
    assertThat(Accounting.healthy(slow, 10)).isFalse();
    assertThat(Accounting.healthy(new Second(0, 9, 9, 0, Map.of(), 5), 10)).isTrue();
  }

  @Test
  void eachFaultCountsTheFailuresAndLostWritesOfItsOwnWindow() {
    List<Second> t = timeline(0, 2, 0, 0, 5, 5, 0, 0);
    // Write n is due at n / 10 s: 15 in second 1 (first fault), 41 and 52 in seconds 4 and 5.
    List<String> lost = List.of("load-abc-15", "load-abc-41", "load-abc-52");
    List<FaultResult> r =
        Accounting.account(
            List.of(inj("first", 1.0), inj("second", 3.5)),
            t,
            10,
            lost,
            List.of(),
            List.of(),
            START);
    assertThat(r).extracting(FaultResult::failedRequests).containsExactly(2L, 10L);
    assertThat(r).extracting(FaultResult::lostWrites).containsExactly(1L, 2L);
    assertThat(r).extracting(FaultResult::recoveredAfterS).containsExactly(1.0, 2.5);
    assertThat(r).extracting(FaultResult::windowFromS).containsExactly(1, 3);
    assertThat(r).extracting(FaultResult::windowToS).containsExactly(3, 8);
  }

  @Test
  void whatHappenedComesFromTheEventLogAndTheFloatingIpInTheWindowInTimeOrder() {
    List<Event> events =
        List.of(
            new Event("2026-01-01T00:00:00.500Z", "web1", "DeadDaemon", "too early", "controller"),
            new Event(
                "2026-01-01T00:00:03.000Z",
                "lb1",
                "DeadDaemon",
                "restarting haproxy",
                "controller"),
            new Event("2026-01-01T00:00:09.000Z", "lb1", "DeadDaemon", "too late", "controller"));
    List<Accounting.VipChange> vip =
        List.of(new Accounting.VipChange(Instant.parse("2026-01-01T00:00:02.250Z"), "lb2"));
    List<String> h = Accounting.happened(events, vip, START, 2.0, 5);
    assertThat(h)
        .containsExactly("+0.3s floating IP on lb2", "+1.0s lb1 DeadDaemon: restarting haproxy");
  }
}
