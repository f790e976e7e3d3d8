package dev.webinfra.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered text with a golden file under {@code src/test/resources/golden/}. Run the tests
 * with {@code -Dwebinfra.updateGolden=true} to rewrite the goldens, then review the diff.
 */
public final class Golden {
  private static final Path ROOT = Path.of("src/test/resources/golden");

  private Golden() {}

  /** Asserts that {@code actual} equals the golden file {@code relative}. */
  public static void assertMatches(String relative, String actual) {
    Path file = ROOT.resolve(relative);
    try {
      if (Boolean.getBoolean("webinfra.updateGolden")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
      }
      assertThat(file)
          .as("golden file %s exists (run with -Dwebinfra.updateGolden=true to create it)", file)
          .exists();
      assertThat(actual)
          .as("rendered output against golden %s", file)
          .isEqualTo(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
