package dev.webinfra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckCommandTest {
  static final String PRESETS =
      Path.of(System.getProperty("user.dir")).resolveSibling("topologies") + "/";

  @Test
  void exitsOneWhenAFindingReachesFailOnAndZeroOtherwise() {
    assertThat(CliRun.of("check", PRESETS + "three-servers.yaml").exitCode())
        .as("high findings, default fail-on high")
        .isEqualTo(1);
    assertThat(CliRun.of("check", PRESETS + "ha-cluster.yaml").exitCode())
        .as("no high finding")
        .isZero();
    assertThat(CliRun.of("check", "--fail-on", "medium", PRESETS + "ha-cluster.yaml").exitCode())
        .isEqualTo(1);
    assertThat(CliRun.of("check", "--fail-on", "none", PRESETS + "single-server.yaml").exitCode())
        .isZero();
  }

  @Test
  void invalidInputExitsTwo() {
    assertThat(
            CliRun.of("check", "src/test/resources/topologies/invalid/unknown-role.yaml")
                .exitCode())
        .isEqualTo(2);
    CliRun bad = CliRun.of("check", "--fail-on", "severe", PRESETS + "ha-cluster.yaml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--fail-on: 'severe' is not a severity; allowed: high, medium, low, info, none");
  }

  @Test
  void jsonListsEveryFindingWithItsFields() {
    CliRun run = CliRun.of("check", "--json", PRESETS + "single-server.yaml");
    assertThat(run.out())
        .contains("\"id\" : \"SPOF_SERVER\"")
        .contains("\"severity\" : \"high\"")
        .contains("\"hosts\" : [ \"web1\" ]");
  }
}
