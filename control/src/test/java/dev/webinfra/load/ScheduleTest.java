package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Durations;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  static final long S = 1_000_000_000L;

  @Test
  void twentySecondsAtOneHundredAreExactlyTwoThousandRequestsTenMillisecondsApart() {
    Schedule s = new Schedule(100, 20 * S, 10);
    assertThat(s.count()).isEqualTo(2000);
    assertThat(s.dueNanos(0)).isZero();
    assertThat(s.dueNanos(1)).isEqualTo(10_000_000L);
    assertThat(s.dueNanos(1999)).isEqualTo(19_990_000_000L);
    assertThat(s.seconds()).isEqualTo(20);
  }

  @Test
  void aRateThatDoesNotDivideASecondDoesNotDrift() {
    Schedule s = new Schedule(3, 10 * S, 0);
    assertThat(s.count()).isEqualTo(30);
    assertThat(s.dueNanos(3)).as("the fourth request is due at exactly 1 s").isEqualTo(S);
    assertThat(s.dueNanos(30)).isEqualTo(10 * S);
    assertThat(s.dueNanos(1)).isEqualTo(333_333_333L);
  }

  @Test
  void aPartialLastSecondStillSendsItsShare() {
    Schedule s = new Schedule(10, 1500_000_000L, 0);
    assertThat(s.count()).isEqualTo(15);
    assertThat(s.seconds()).isEqualTo(2);
    assertThat(Schedule.secondOf(s.dueNanos(14))).isEqualTo(1);
  }

  @Test
  void writesAreSpreadEvenlyAtTheirShare() {
    Schedule s = new Schedule(100, 20 * S, 10);
    long writes = LongStream.range(0, s.count()).filter(s::isWrite).count();
    assertThat(writes).isEqualTo(200).isEqualTo(s.writes());
    // Of any 10 consecutive requests, exactly one writes.
    for (long n = 0; n + 10 <= s.count(); n += 10) {
      long from = n;
      assertThat(LongStream.range(from, from + 10).filter(s::isWrite).count()).isEqualTo(1);
    }
    assertThat(LongStream.range(0, 100).filter(new Schedule(1, S, 0)::isWrite).count()).isZero();
    assertThat(LongStream.range(0, 100).filter(new Schedule(1, S, 100)::isWrite).count())
        .isEqualTo(100);
    assertThat(LongStream.range(0, 100).filter(new Schedule(1, S, 37)::isWrite).count())
        .isEqualTo(37);
  }

  @Test
  void optionsAreValidatedWithTheFieldAndWhatIsAllowed() {
    Duration d = Duration.ofSeconds(20);
    Duration t = Duration.ofSeconds(5);
    assertThatThrownBy(() -> new LoadOptions(d, 0, 10, 8, t))
        .isInstanceOf(WebinfraException.class)
        .hasMessage("load: --rate must be from 1 to 20000 requests a second, was 0");
    assertThatThrownBy(() -> new LoadOptions(d, 100, 101, 8, t))
        .hasMessage("load: --writes must be a percentage from 0 to 100, was 101");
    assertThatThrownBy(() -> new LoadOptions(Duration.ofMillis(10), 100, 10, 8, t))
        .hasMessage("load: --duration must be from 1s to 24h, was 10 ms");
    assertThatThrownBy(() -> new LoadOptions(d, 100, 10, 0, t))
        .hasMessageStartingWith("load: --connections must be");
    assertThatThrownBy(() -> new LoadOptions(d, 100, 10, 8, t, -1))
        .hasMessage("load: --retries must be from 0 to 3, was -1");
    assertThatThrownBy(() -> new LoadOptions(d, 100, 10, 8, t, 4))
        .hasMessage("load: --retries must be from 0 to 3, was 4");
  }

  @Test
  void durationsReadAsTheCliTakesThem() {
    assertThat(Durations.parse("load: --duration", "20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("load: --duration", "20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(Durations.parse("load: --duration", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("load: --duration", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("load: --duration", "1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> Durations.parse("load: --timeout", "soon"))
        .hasMessage(
            "load: --timeout: 'soon' is not a duration; use e.g. 500ms, 20s, 5m, 2h, 1d or"
                + " PT1M30S (a number alone is seconds; at most 36500d)");
  }
}
