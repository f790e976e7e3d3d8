package dev.webinfra.daemon;

import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostReads;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * Writes those of {@code files} that differ from {@code host}'s copies, read in one ask and
   * written in one (on a server each is an SSH round trip); returns whether any was written.
   */
  public static boolean writeChanged(HostDriver driver, String host, List<RenderedFile> files) {
    return new HostReads(driver, host)
        .writeChanged(
            files.stream()
                .map(f -> new HostDriver.FileWrite(f.path(), f.content(), f.mode(), null))
                .toList());
  }
}
