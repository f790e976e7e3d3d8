package dev.webinfra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every verb's duration options give the one error of {@code Durations}, before any lab is used.
 */
class DurationOptionsTest {

  @Test
  void aBadDurationIsInvalidInputNamingTheVerbAndOption() {
    String[][] cases = {
      {"load: --duration: 'soon'", "load", "--lab", "nosuchlab", "--duration", "soon"},
      {"load: --timeout: '5x'", "load", "--lab", "nosuchlab", "--timeout", "5x"},
      {"load: --settle: '-5s'", "load", "--lab", "nosuchlab", "--settle", "-5s"},
      {
        "chaos: --settle: '1y'",
        "chaos",
        "--lab",
        "nosuchlab",
        "--settle",
        "1y",
        "no-such-scenario.yaml"
      },
      {"events: --since: 'soon'", "events", "--lab", "nosuchlab", "--since", "soon"},
      {
        "deploy: --health-timeout: 'soon'",
        "deploy",
        "--lab",
        "nosuchlab",
        "--health-timeout",
        "soon"
      },
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliRun r = CliRun.of(args);
      assertThat(r.exitCode()).as("webinfra %s: %s", String.join(" ", args), r.err()).isEqualTo(2);
      assertThat(r.err())
          .as("webinfra %s", String.join(" ", args))
          .contains(c[0] + " is not a duration; use e.g. 500ms, 20s, 5m, 2h, 1d or PT1M30S");
    }
  }

  @Test
  void aDeployGivenNoTimeToBecomeHealthyIsRefusedBeforeAnyLabIsUsed() {
    CliRun r = CliRun.of("deploy", "--lab", "nosuchlab", "--health-timeout", "0s");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("deploy: --health-timeout: 0 leaves a new version no time to become healthy")
        .doesNotContain("nosuchlab");
  }
}
