package dev.webinfra.site;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The lab's generated credentials: made once per lab, kept 0600 in a 0700 directory of the lab's
 * state, and never written into the repository, a template or a rendered config.
 */
public final class Secrets {
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private final Path dir;
  private final SecureRandom random = new SecureRandom();

  public Secrets(Path dir) {
    this.dir = dir;
  }

  /** The password called {@code name} if it was made already; never makes one. */
  public java.util.Optional<String> existing(String name) {
    Path file = dir.resolve(name + ".password");
    try {
      return Files.exists(file)
          ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The password called {@code name}, generated on first use. */
  public synchronized String password(String name) {
    Path file = dir.resolve(name + ".password");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      if (!Files.exists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      StringBuilder sb = new StringBuilder(32);
      for (int i = 0; i < 32; i++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, sb + "\n", StandardCharsets.UTF_8);
      return sb.toString();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "secrets: cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
