package dev.webinfra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A malformed topology stops {@code up} before anything starts: exit 2, one located error, no root
 * needed.
 */
class UpValidationTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bad-yaml",
        "unknown-role",
        "duplicate-host",
        "missing-field",
        "address-out-of-range"
      })
  void malformedTopologyExits2AndStartsNothing(String name) {
    Path file = Path.of("src/test/resources/topologies/invalid", name + ".yaml");

    CliRun run = CliRun.of("up", file.toString());

    assertThat(run.exitCode()).as("exit code for invalid input").isEqualTo(2);
    assertThat(run.err())
        .as("the error names the file with line and column")
        .containsPattern(name + "\\.yaml:\\d+:\\d+: ");
    assertThat(
            run.err().lines().filter(l -> l.matches(".*" + name + "\\.yaml:\\d+:\\d+: .*")).count())
        .as("one located problem reported")
        .isEqualTo(1);
    assertThat(run.out()).as("nothing was started").isEmpty();
    assertThat(Files.exists(Path.of("/var/lib/webinfra/broken")))
        .as("no state was made for the lab")
        .isFalse();
  }

  @org.junit.jupiter.api.Test
  void twoDaemonsOnOnePortAreRefusedBeforeAnythingStarts() {
    Path file = Path.of("src/test/resources/topologies/broken/port-used-twice-db.yaml");

    CliRun run = CliRun.of("up", file.toString());

    assertThat(run.exitCode()).as("exit code for invalid input").isEqualTo(2);
    assertThat(run.err())
        .as("what collides, on which host, and the fix")
        .contains("port-used-twice-db.yaml: host ")
        .contains("collide")
        .contains("give one of them another port");
    assertThat(run.out()).as("nothing was started").isEmpty();
  }
}
