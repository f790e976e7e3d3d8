package dev.webinfra.deploy;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The application's build as the lab uses it: the jar, and the schema it ships. */
public final class Build {
  private Build() {}

  public static void requireJar(Path appJar) {
    if (!Files.isRegularFile(appJar)) {
      throw WebinfraException.unexpectedState(
          "the app's jar " + appJar + " is missing; build it with ./mvnw -DskipTests package");
    }
  }

  /**
   * The schema the control plane applies: our guestbook's, from its jar; for a user's app, only its
   * database, in which the app creates its own tables.
   */
  public static String schemaSql(dev.webinfra.topology.Topology t, Path appJar) {
    return t.app() instanceof dev.webinfra.topology.AppProgram.Guestbook
        ? schemaSql(appJar)
        : "CREATE DATABASE IF NOT EXISTS webinfra CHARACTER SET utf8mb4 COLLATE"
            + " utf8mb4_unicode_ci;\n";
  }

  // The app owns its schema; it ships in the jar and is applied as root (the app has DML only).
  public static String schemaSql(Path appJar) {
    try (ZipFile zip = new ZipFile(appJar.toFile())) {
      ZipEntry e = zip.getEntry("schema.sql");
      if (e == null) {
        throw WebinfraException.unexpectedState("the app's jar " + appJar + " has no schema.sql");
      }
      try (InputStream in = zip.getInputStream(e)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException ex) {
      throw WebinfraException.unexpectedState(
          "cannot read schema.sql from " + appJar + ": " + ex.getMessage(), ex);
    }
  }
}
