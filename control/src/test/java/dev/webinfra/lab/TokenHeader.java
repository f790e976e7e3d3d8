package dev.webinfra.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A curl config file, 0600, that sends a dashboard's token as a bearer header, as a program would
 * (never on a command line, where any user of the machine reads it); deleted on close.
 */
public final class TokenHeader implements AutoCloseable {
  private final Path file;

  private TokenHeader(Path file) {
    this.file = file;
  }

  /** The file for {@code token}: pass it to curl with {@code -K}. */
  public static TokenHeader of(String token) throws IOException {
    Path f =
        Files.createTempFile(
            "webinfra-it-",
            ".curl",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(f, "header = \"Authorization: Bearer " + token + "\"\n");
    return new TokenHeader(f);
  }

  /** Its path. */
  public String path() {
    return file.toString();
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
