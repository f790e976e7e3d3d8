package dev.webinfra.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The application server's settings, read from the properties file the control plane renders.
 * {@code causalReads}: the write URL names Galera members, and a client's read after its own write
 * goes to a session that waits for the cluster first ({@code wsrep_sync_wait = 1}), so the member
 * it reads has applied that write even if another server's member took it.
 */
public record AppConfig(
    String listenAddress,
    int listenPort,
    String siteName,
    String writeUrl,
    List<String> readUrls,
    String dbUser,
    Path passwordFile,
    int poolSize,
    boolean causalReads) {

  public AppConfig {
    readUrls = List.copyOf(readUrls);
    if (readUrls.isEmpty()) {
      throw new Invalid("config: key 'db.read.urls' needs at least one URL", null);
    }
  }

  /**
   * Thrown for a missing or invalid setting; its message names the key or file and what is wrong.
   */
  public static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Invalid(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads and checks the file. */
  public static AppConfig load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new Invalid("config " + file + ": cannot read: " + why(e), e);
    }
    AppConfig c =
        new AppConfig(
            required(p, file, "listen.address"),
            port(p, file, "listen.port"),
            required(p, file, "site.name"),
            jdbc(file, "db.write.url", required(p, file, "db.write.url")),
            readUrls(p, file),
            required(p, file, "db.user"),
            Path.of(required(p, file, "db.password.file")),
            intIn(p, file, "db.pool.size", "4", 1, 64),
            bool(p, file, "db.causal.reads", false));
    // Now, so an unreadable password file stops the start instead of failing every connection
    // later.
    c.password();
    return c;
  }

  /** The database password, read from its file with its trailing newline trimmed; never logged. */
  public String password() {
    String content;
    try {
      content = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Invalid("db.password.file " + passwordFile + ": cannot read: " + why(e), e);
    }
    // Only the line ending: spaces may be part of a password.
    String password = content.replaceAll("[\\r\\n]+$", "");
    if (password.isEmpty()) {
      throw new Invalid("db.password.file " + passwordFile + ": is empty", null);
    }
    return password;
  }

  private static String why(IOException e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file";
      case AccessDeniedException a -> "permission denied";
      default -> e.toString();
    };
  }

  private static String required(Properties p, Path file, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new Invalid("config " + file + ": missing key '" + key + "'", null);
    }
    return v.strip();
  }

  private static List<String> readUrls(Properties p, Path file) {
    // URLs are separated by commas, but a multi-host URL has commas of its own: split only before
    // "jdbc:".
    List<String> urls =
        Arrays.stream(required(p, file, "db.read.urls").split(",(?=\\s*jdbc:)"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(u -> jdbc(file, "db.read.urls", u))
            .toList();
    if (urls.isEmpty()) {
      throw new Invalid(
          "config " + file + ": key 'db.read.urls' needs at least one jdbc:mariadb: URL", null);
    }
    return urls;
  }

  private static boolean bool(Properties p, Path file, String key, boolean dflt) {
    String v = p.getProperty(key);
    if (v == null) {
      return dflt;
    }
    return switch (v.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new Invalid(
              "config " + file + ": key '" + key + "' must be true or false, was '" + v + "'",
              null);
    };
  }

  private static int port(Properties p, Path file, String key) {
    return intIn(p, file, key, null, 1, 65535);
  }

  private static int intIn(Properties p, Path file, String key, String dflt, int min, int max) {
    String v = p.getProperty(key, dflt);
    if (v == null) {
      throw new Invalid("config " + file + ": missing key '" + key + "'", null);
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new Invalid(
            "config "
                + file
                + ": key '"
                + key
                + "' must be between "
                + min
                + " and "
                + max
                + ", was "
                + n,
            null);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Invalid(
          "config "
              + file
              + ": key '"
              + key
              + "' must be a number between "
              + min
              + " and "
              + max
              + ", was '"
              + v
              + "'",
          e);
    }
  }

  private static String jdbc(Path file, String key, String url) {
    if (!url.startsWith("jdbc:mariadb:")) {
      throw new Invalid(
          "config " + file + ": key '" + key + "' must be a jdbc:mariadb: URL, was '" + url + "'",
          null);
    }
    return url;
  }
}
