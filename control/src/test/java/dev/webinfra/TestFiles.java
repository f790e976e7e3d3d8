package dev.webinfra;

import dev.webinfra.host.Trees;
import java.io.IOException;
import java.nio.file.Path;

/** Files that tests make and must not leave behind. */
public final class TestFiles {
  private TestFiles() {}

  /** Removes {@code dir} and everything below it; nothing when it is gone already. */
  public static void deleteTree(Path dir) throws IOException {
    Trees.delete(dir);
  }
}
