package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What other YAML readers could understand differently is refused with its place and reason. Each
 * fixture under {@code topologies/ambiguous/} says on its first line what it must be refused with
 * ({@code # expect: LINE:COL: message}); the presets are the controls and load unchanged.
 */
class UnambiguousTest {
  static final Path FIXTURES = Path.of("src/test/resources/topologies/ambiguous");
  static final Path PRESETS = Path.of("../topologies");

  static Stream<Path> fixtures() throws IOException {
    return Files.list(FIXTURES).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void eachFixtureIsRefusedWhereAndWhyItSays(Path fixture) throws IOException {
    String first = Files.readAllLines(fixture, StandardCharsets.UTF_8).get(0);
    String expected = first.substring(first.indexOf("expect: ") + "expect: ".length());
    WebinfraException e = null;
    try {
      TopologyLoader.load(fixture);
    } catch (WebinfraException thrown) {
      e = thrown;
    }
    assertThat(e).as(fixture + " must be refused").isNotNull();
    assertThat(e.exitCode()).isEqualTo(WebinfraException.INVALID_INPUT);
    assertThat(e.getMessage()).contains(fixture + ":" + expected);
    assertThat(e.getCause()).as("nothing to print a stack trace from").isNull();
  }

  @Test
  void thePresetsHaveNothingAmbiguous() throws IOException {
    try (Stream<Path> presets = Files.list(PRESETS)) {
      for (Path p : presets.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        assertThat(TopologyLoader.check(p).problems()).as(p.toString()).isEmpty();
      }
    }
  }

  @Test
  void yaml11AndYaml12ReadingsAreNamed() {
    assertThat(ScalarReadings.yaml11("on")).isEqualTo("the boolean true");
    assertThat(ScalarReadings.yaml12("on")).isEqualTo("text");
    assertThat(ScalarReadings.yaml11("0o17")).isEqualTo("text");
    assertThat(ScalarReadings.yaml12("0o17")).isEqualTo("the integer 15");
    assertThat(ScalarReadings.yaml11("1e3")).isEqualTo("text");
    assertThat(ScalarReadings.yaml12("1e3")).isEqualTo("the number 1000");
    assertThat(ScalarReadings.yaml11("2026-12-04")).isEqualTo("a date");
    assertThat(ScalarReadings.yaml11("198.18.0.21"))
        .as("an address is text to both")
        .isEqualTo("text");
    assertThat(ScalarReadings.yaml12("198.18.0.21")).isEqualTo("text");
    for (String same : List.of("8080", "true", "false", "1.5", "-3", "web1", "~", ".inf")) {
      assertThat(ScalarReadings.yaml11(same)).as(same).isEqualTo(ScalarReadings.yaml12(same));
    }
  }

  @Test
  void aMillionDigitNumberIsRefusedFromItsLength() {
    String yaml = "lab: amb\nport: " + "9".repeat(1_000_000) + "\n";
    List<Problem> p = TopologyLoader.checkText(yaml, "digits.yaml").problems();
    assertThat(p).hasSize(1);
    assertThat(p.get(0).toString()).contains("digits.yaml:2:7: a number of 1000000 characters");
  }

  @Test
  void aFileFullOfAmbiguityStopsAtTwentyLines() {
    String yaml = "x: [" + "yes, ".repeat(100_000) + "]\n";
    assertThat(TopologyLoader.checkText(yaml, "many.yaml").problems())
        .hasSize(Unambiguous.MAX_PROBLEMS);
  }

  @Test
  void aMillionBracketsStopAtTheNestingLimit() {
    String yaml = "x: " + "[".repeat(400_000) + "]".repeat(400_000) + "\n";
    assertThat(TopologyLoader.checkText(yaml, "deep.yaml").problems())
        .singleElement()
        .asString()
        .contains("deep.yaml:1:")
        .contains("nested more than 50 levels deep");
  }
}
