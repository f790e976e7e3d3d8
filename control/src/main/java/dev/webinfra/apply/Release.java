package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Fingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One version of a user's app: a jar, or a codebase directory, named by its content's digest, as
 * Capistrano and Kamal keep releases. Each server holds it as {@code releases/ID} beside a {@code
 * current} link; two releases with the same content are the same release.
 *
 * @param id the first 12 hex digits of the content's SHA-256
 * @param source where its content is on this machine: a jar file, or a directory
 */
public record Release(String id, Path source) {
  /** The name a jar has inside its release directory, whatever it was called. */
  public static final String JAR = dev.webinfra.render.app.AppUnit.JAR_IN_RELEASE;

  // Not code: a checkout's history and Python's byte-code caches, made again on the server.
  private static final List<String> SKIPPED = List.of(".git", "__pycache__");

  /** One file of a release: its path inside the release, and whether it is executable. */
  public record Entry(Path relative, Path file, boolean executable) {}

  public Release {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    if (!id.matches("[0-9a-f]{12}")) {
      throw new IllegalArgumentException("release id " + id + ": not 12 hex digits");
    }
  }

  /** The release that {@code source} (a jar or a directory) is, reading it and writing nothing. */
  public static Release of(Path source) {
    MessageDigest md = Fingerprint.newSha256();
    for (Entry e : entries(source)) {
      md.update(e.relative().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) (e.executable() ? 1 : 0));
      try {
        md.update(Files.readAllBytes(e.file()));
      } catch (IOException ex) {
        throw WebinfraException.invalidInput(
            "release " + source + ": cannot read " + e.file() + ": " + ex.getMessage(), ex);
      }
    }
    return new Release(HexFormat.of().formatHex(md.digest()).substring(0, 12), source);
  }

  /** Its files in a stable order: a jar is one file, {@value #JAR}; a directory, its tree. */
  public List<Entry> entries() {
    return entries(source);
  }

  private static List<Entry> entries(Path source) {
    if (Files.isRegularFile(source)) {
      return List.of(new Entry(Path.of(JAR), source, false));
    }
    if (!Files.isDirectory(source)) {
      throw WebinfraException.invalidInput(
          "release " + source + ": neither a jar nor a codebase directory");
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.sorted().toList()) {
        Path rel = source.relativize(p);
        boolean skipped = false;
        for (Path part : rel) {
          skipped |= SKIPPED.contains(part.toString());
        }
        if (skipped || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        out.add(new Entry(rel, p, Files.isExecutable(p)));
      }
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "release " + source + ": cannot read the codebase: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw WebinfraException.invalidInput("release " + source + ": the codebase has no files");
    }
    return out;
  }
}
