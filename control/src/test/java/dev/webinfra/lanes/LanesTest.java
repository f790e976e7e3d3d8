package dev.webinfra.lanes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.suite.api.SelectClasses;

class LanesTest {
  /** Every {@code *IT} class compiled from the test sources, the lanes' own suites aside. */
  static List<String> itClasses() throws IOException {
    Path root = Path.of("target/test-classes");
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(f -> root.relativize(f).toString())
          .filter(f -> f.endsWith("IT.class") && !f.contains("$"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .filter(c -> !c.startsWith("dev.webinfra.lanes."))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyLabTestIsInExactlyOneLane() throws IOException {
    List<String> all = new ArrayList<>(Lanes.LOAD);
    all.addAll(Lanes.REST);
    assertThat(all).as("a class in both lanes, or twice in one").doesNotHaveDuplicates();
    assertThat(all)
        .as("the lanes are every IT class: a class in none would never run in the build")
        .containsExactlyInAnyOrderElementsOf(itClasses());
  }

  @Test
  void eachSuiteSelectsItsLaneInOrder() {
    assertThat(LoadLaneIT.class.getAnnotation(SelectClasses.class).names())
        .containsExactlyElementsOf(Lanes.LOAD);
    assertThat(RestLaneIT.class.getAnnotation(SelectClasses.class).names())
        .containsExactlyElementsOf(Lanes.REST);
  }
}
