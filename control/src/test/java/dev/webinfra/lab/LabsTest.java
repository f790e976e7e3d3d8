package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LabsTest {

  @Test
  void aNamedLabIsTakenAsNamedWhateverIsUp() {
    assertThat(Labs.choose("mine", new TreeSet<>())).isEqualTo("mine");
    assertThat(Labs.choose("mine", new TreeSet<>(List.of("a", "b")))).isEqualTo("mine");
  }

  @Test
  void withoutLabTheOnlyLabUpIsTaken() {
    assertThat(Labs.choose(null, new TreeSet<>(List.of("demo")))).isEqualTo("demo");
  }

  @Test
  void withoutLabAndSeveralUpItRefusesAndListsThemAll() {
    assertThatThrownBy(() -> Labs.choose(null, new TreeSet<>(List.of("suite", "demo"))))
        .isInstanceOfSatisfying(
            WebinfraException.class,
            e -> assertThat(e.exitCode()).isEqualTo(WebinfraException.INVALID_INPUT))
        .hasMessage("2 labs are up (demo, suite): name the one to act on with --lab NAME");
  }

  @Test
  void withoutLabAndNoneUpItSaysSo() {
    assertThatThrownBy(() -> Labs.choose(null, new TreeSet<>()))
        .isInstanceOfSatisfying(
            WebinfraException.class,
            e -> assertThat(e.exitCode()).isEqualTo(WebinfraException.UNEXPECTED_STATE))
        .hasMessageStartingWith("no lab is up");
  }
}
