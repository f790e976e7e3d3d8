package dev.webinfra.daemon;

import java.nio.file.Path;
import java.util.Objects;

/** One rendered file: where it goes on its host, its content, and its permission bits. */
public record RenderedFile(Path path, String content, String mode) {
  public RenderedFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(mode, "mode");
  }

  /** A world-readable config file; rendered files never hold secrets. */
  public static RenderedFile config(Path path, String content) {
    return new RenderedFile(path, content, "rw-r--r--");
  }
}
