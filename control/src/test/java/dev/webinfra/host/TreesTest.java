package dev.webinfra.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one recursive delete, and the removal of a common directory once nothing is in it. */
class TreesTest {
  @TempDir Path dir;

  @Test
  void anEmptyDirectoryGoesAndOneInUseStays() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path used = Files.createDirectories(dir.resolve("used/lab"));
    Trees.deleteIfEmpty(empty);
    Trees.deleteIfEmpty(used.getParent());
    Trees.deleteIfEmpty(dir.resolve("never-there"));
    Trees.deleteIfEmpty(Files.writeString(dir.resolve("a-file"), "x"));
    assertThat(empty).doesNotExist();
    assertThat(used).isDirectory();
    assertThat(dir.resolve("a-file")).hasContent("x");
  }

  @Test
  void aTreeGoesWholeAndAMissingOneIsNoError() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root/a/b"));
    Files.writeString(root.resolve("f"), "x");
    Files.createSymbolicLink(dir.resolve("root/link"), dir);
    Trees.delete(dir.resolve("root"));
    assertThat(dir.resolve("root")).doesNotExist();
    assertThat(dir).isDirectory();
    Trees.delete(dir.resolve("root"));
  }
}
