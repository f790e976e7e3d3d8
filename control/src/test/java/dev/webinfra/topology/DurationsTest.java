package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void everyFormOfTheThreeOldParsersStillParses() {
    // load's: ms, s, m, h and a number alone for seconds.
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("20s")).contains(Duration.ofSeconds(20));
    assertThat(Durations.parse("20")).contains(Duration.ofSeconds(20));
    assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
    assertThat(Durations.parse("+5s")).as("Long.parseLong's plus").contains(Duration.ofSeconds(5));
    assertThat(Durations.parse(" 30s\n")).as("stripped").contains(Duration.ofSeconds(30));
    // events': d, units in any case, and ISO-8601.
    assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
    assertThat(Durations.parse("90S")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("5M")).as("M is minutes, as m").contains(Duration.ofMinutes(5));
    assertThat(Durations.parse("PT2H")).contains(Duration.ofHours(2));
    assertThat(Durations.parse("pt1m30s")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("PT0.25S")).contains(Duration.ofMillis(250));
    // scenarios': ms, s and m, zero included (a fault at 0s).
    assertThat(Durations.parse("0s")).contains(Duration.ZERO);
    assertThat(Durations.parse("1500ms")).contains(Duration.ofMillis(1500));
    assertThat(Durations.parse("999999m")).contains(Duration.ofMinutes(999_999));
  }

  @Test
  void whatIsNoDurationIsRefused() {
    for (String bad :
        new String[] {
          "",
          " ",
          "soon",
          "s",
          "ms",
          "5 s",
          "1.5h",
          "5w",
          "5sec",
          "-5s",
          "PT-5M",
          "P",
          "PTX",
          "5s5",
          "99999999999999999999s",
          "36501d",
          "9223372036854775807d",
          "0x10s",
          null
        }) {
      assertThat(Durations.parse(bad)).as("'%s'", bad).isEmpty();
    }
    assertThat(Durations.parse("36500d")).as("the longest").contains(Durations.MAX);
  }

  @Test
  void theOneMessageNamesTheSubjectTheValueAndTheForms() {
    assertThatThrownBy(() -> Durations.parse("load: --timeout", "soon"))
        .isInstanceOf(WebinfraException.class)
        .hasMessage(
            "load: --timeout: 'soon' is not a duration; use e.g. 500ms, 20s, 5m, 2h, 1d or PT1M30S"
                + " (a number alone is seconds; at most 36500d)");
    assertThatThrownBy(() -> Durations.parse("events: --since", "-5m"))
        .isInstanceOfSatisfying(
            WebinfraException.class,
            e -> assertThat(e.exitCode()).isEqualTo(WebinfraException.INVALID_INPUT))
        .hasMessageStartingWith("events: --since: '-5m' is not a duration;");
    assertThat(Durations.notADuration("\u001b[2Jx"))
        .as("a value that could drive the terminal is escaped")
        .startsWith("'\\x1b[2Jx' is not a duration;");
  }
}
