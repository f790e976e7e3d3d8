package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldingTallyTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  @Test
  void countsOnlySamplesThatSawTwoHoldersWithTheTimeSinceTheSampleBefore() {
    HoldingTally t = new HoldingTally(Duration.ofMillis(200));
    t.sample(at(0), List.of("lb1"));
    t.sample(at(50), List.of("lb1", "lb2"));
    t.sample(at(100), List.of("lb1", "lb2"));
    t.sample(at(150), List.of("lb2"));
    t.sample(at(200), List.of());
    t.sample(at(250), List.of("lb1", "lb2"));
    assertThat(t.total()).isEqualTo(Duration.ofMillis(150));
    assertThat(t.episodes())
        .extracting(e -> e.from() + " " + e.length().toMillis() + " " + e.holders())
        .containsExactly(at(50) + " 100 [lb1, lb2]", at(250) + " 50 [lb1, lb2]");
    assertThat(t.counts()).containsExactly(6, 3);
  }

  @Test
  void aStalledWatcherCountsAtMostTheCap() {
    HoldingTally t = new HoldingTally(Duration.ofMillis(200));
    t.sample(at(0), List.of("lb1", "lb2"));
    t.sample(at(5000), List.of("lb1", "lb2"));
    assertThat(t.total())
        .as("the first sample has nothing before it; the second is capped")
        .isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void oneHolderOrNoneIsNeverCounted() {
    HoldingTally t = new HoldingTally(Duration.ofMillis(200));
    for (int i = 0; i < 10; i++) {
      t.sample(at(50L * i), i % 2 == 0 ? List.of("lb1") : List.of());
    }
    assertThat(t.total()).isZero();
    assertThat(t.episodes()).isEmpty();
  }

  @Test
  void theVipCountsOnlyOnALinkThatIsUp() {
    String out =
        "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
            + "2: public    inet 198.18.6.11/24 brd 198.18.6.255 scope global public\n"
            + "2: public    inet 198.18.6.100/24 scope global secondary public\n";
    assertThat(ChaosLab.holds(out, "198.18.6.100")).isTrue();
    assertThat(ChaosLab.holds(out, "198.18.6.10")).as("a prefix of another address").isFalse();
    assertThat(ChaosLab.holds("", "198.18.6.100")).as("no link up").isFalse();
  }
}
