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
    assertThat(CliRun.of("check", "--fail-on", "low", PRESETS + "ha-cluster.yaml").exitCode())
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

  @Test
  void helpExitsZero() {
    CliRun run = CliRun.of("check", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage:").contains("--json").contains("--fail-on");
  }

  @Test
  void jsonOnInvalidInputIsJsonWithEveryErrorLocated() throws Exception {
    CliRun run =
        CliRun.of("check", "--json", "src/test/resources/topologies/invalid/unknown-role.yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    var errors =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).get("errors");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("file").asText()).endsWith("unknown-role.yaml");
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(8);
    assertThat(errors.get(0).get("column").asInt()).isEqualTo(23);
    assertThat(errors.get(0).get("field").asText()).isEqualTo("hosts.web1.roles[2]");
    assertThat(errors.get(0).get("message").asText()).startsWith("unknown role 'dbms'");
  }

  @Test
  void jsonOnAFileThatCannotBeReadHasNoPosition() throws Exception {
    CliRun run = CliRun.of("check", "--json", "/dev/zero");
    assertThat(run.exitCode()).isEqualTo(2);
    var e =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).get("errors").get(0);
    assertThat(e.get("line").isNull()).isTrue();
    assertThat(e.get("message").asText()).contains("not a regular file");
  }

  @Test
  void errorsAreOneLineWithoutJavaClassNames() {
    CliRun run = CliRun.of("check", "src/test/resources/topologies/invalid/bad-yaml.yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .doesNotContain("caused by")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void explainPrintsThePathWhyAndFix() {
    CliRun run =
        CliRun.of(
            "check",
            "--explain",
            "UNREACHABLE_FLOW",
            "src/test/resources/topologies/broken/vip-not-on-client-network.yaml");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("UNREACHABLE_FLOW (high): client cannot reach lb1 for HTTPS")
        .contains("path:            client → 198.18.47.100:443/tcp → lb1")
        .contains("why it matters:  ")
        .contains("fix:             put the floating IP on a network client is on");
  }

  @Test
  void explainOfAnIdTheDesignDoesNotHaveIsInvalidInput() {
    CliRun run = CliRun.of("check", "--explain", "NOPE", PRESETS + "ha-cluster.yaml");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--explain: no finding 'NOPE'").contains("SINGLE_MACHINE_LAB");
  }
}
