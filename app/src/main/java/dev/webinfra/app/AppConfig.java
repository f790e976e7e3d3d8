package dev.webinfra.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The application server's settings, read from the properties file the control plane renders. */
public record AppConfig(
    String listenAddress, int listenPort, String siteName, String writeUrl, List<String> readUrls,
    String dbUser, Path passwordFile, int poolSize) {

  public AppConfig {
    readUrls = List.copyOf(readUrls);
  }

  /** Thrown for a missing or invalid setting; its message names the key or file and what is wrong. */
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
      throw new Invalid("config " + file + ": cannot read: " + e.getMessage(), e);
    }
    AppConfig c = new AppConfig(
        required(p, file, "listen.address"),
        port(p, file, "listen.port"),
        required(p, file, "site.name"),
        jdbc(p, file, "db.write.url", required(p, file, "db.write.url")),
        // URLs are separated by commas, but a multi-host URL has commas of its own: split only before "jdbc:".
        Arrays.stream(required(p, file, "db.read.urls").split(",(?=\\s*jdbc:)")).map(String::strip).filter(s -> !s.isEmpty())
            .map(u -> jdbc(p, file, "db.read.urls", u)).toList(),
        required(p, file, "db.user"),
        Path.of(required(p, file, "db.password.file")),
        intIn(p, file, "db.pool.size", "4", 1, 64));
    c.password();
    return c;
  }

  /** The database password, read from its file (trailing newline trimmed). */
  public String password() {
    try {
      return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new Invalid("db.password.file " + passwordFile + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Whether reads go to the same server as writes (then read-your-writes needs no waiting). */
  public boolean readsFromWriter() {
    return readUrls.isEmpty() || readUrls.get(0).equals(writeUrl);
  }

  private static String required(Properties p, Path file, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new Invalid("config " + file + ": missing key '" + key + "'", null);
    }
    return v.strip();
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
        throw new Invalid("config " + file + ": key '" + key + "' must be between " + min + " and " + max + ", was " + n, null);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new Invalid("config " + file + ": key '" + key + "' must be a number between " + min + " and " + max + ", was '" + v + "'", e);
    }
  }

  private static String jdbc(Properties p, Path file, String key, String url) {
    if (!url.startsWith("jdbc:mariadb:")) {
      throw new Invalid("config " + file + ": key '" + key + "' must be a jdbc:mariadb: URL, was '" + url + "'", null);
    }
    return url;
  }
}
