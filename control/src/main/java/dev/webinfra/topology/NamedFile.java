package dev.webinfra.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * A file the topology names (the site's certificate or key), read at load with the topology's own
 * guards ({@link SafeRead}): its path, where the topology names it, its text and its permissions.
 * Its text is never printed: a key file's text is a secret.
 *
 * @param field the field that names it, such as {@code tls.key}
 * @param named where the topology names it ({@code file:line:column})
 * @param path the path, resolved against the topology file's directory
 * @param text the file's text, read once; later steps use it instead of reading the file again
 * @param permissions its POSIX permissions ({@code rw-------}); empty where the file system has
 *     none
 */
public record NamedFile(
    String field, String named, Path path, String text, Optional<String> permissions) {
  public NamedFile {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(named, "named");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(permissions, "permissions");
  }

  /** The certificate and key files of the site: PEM text, a few KiB (256 KiB with a chain). */
  static final SafeRead.Kind PEM =
      new SafeRead.Kind(
          "a PEM file",
          "give a PEM file such as certs/site.pem",
          256 * 1024,
          "a certificate or key is a PEM (text) file; convert DER with openssl x509 -inform der");

  /**
   * Reads the file named by {@code node}, relative to {@code base}; a problem located at the node
   * when the name is not a usable path or the file is refused.
   */
  static Optional<NamedFile> read(YamlNode node, Path base, SafeRead.Kind kind) {
    Optional<String> name = node.string();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String s = name.get();
    if (s.isBlank() || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      node.problem("'" + Shown.value(s) + "' is not a file name (empty, or a control character)");
      return Optional.empty();
    }
    Path path;
    try {
      path = base.resolve(s);
    } catch (InvalidPathException e) {
      node.problem("'" + Shown.value(s) + "' is not a file name: " + e.getReason());
      return Optional.empty();
    }
    String text;
    try {
      text = SafeRead.decode(SafeRead.bytes(path, kind), path.toString(), kind);
    } catch (SafeRead.Refused r) {
      Problem p = r.problem();
      // The refusal names the file (and, for text, the place in it); the topology entry that
      // names the file is where the user looks first.
      node.problem(p.location() + ": " + p.message());
      return Optional.empty();
    }
    return Optional.of(new NamedFile(node.path(), node.location(), path, text, permissions(path)));
  }

  private static Optional<String> permissions(Path path) {
    try {
      return Optional.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "NamedFile[" + field + "=" + path + " (named at " + named + ")]";
  }
}
