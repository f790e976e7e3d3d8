package dev.webinfra.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway MariaDB server for the app's tests: Debian's own mariadbd on a loopback port, with an
 * empty data directory of its own and no grant tables (any user and password get in), the app's
 * schema applied. It starts in a few seconds and is gone, files and all, when closed. A machine
 * without mariadbd skips the tests that need it, saying so.
 */
final class LocalMariaDb implements AutoCloseable {
  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");

  private final Path dir;
  private final Process process;
  private final int port;

  private LocalMariaDb(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** Starts one, or skips the calling test when this machine has no mariadbd. */
  static LocalMariaDb start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(MARIADBD),
        MARIADBD + " is not installed (apt-get install mariadb-server): no database to test on");
    Path dir = Files.createTempDirectory("app-mariadb-");
    Files.createDirectories(dir.resolve("data"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                MARIADBD.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("pid"),
                "--log-error=" + dir.resolve("err.log"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--user=" + System.getProperty("user.name"),
                "--skip-grant-tables",
                "--skip-name-resolve",
                // Binary log on, so writes get a GTID as in the lab.
                "--log-bin=" + dir.resolve("binlog"),
                "--server-id=1",
                "--innodb-buffer-pool-size=16M",
                "--innodb-log-file-size=8M")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    LocalMariaDb db = new LocalMariaDb(dir, p, port);
    try {
      db.awaitReady(Duration.ofSeconds(60));
      db.applySchema();
    } catch (Exception e) {
      String log = db.log();
      db.close();
      throw new IllegalStateException("test mariadbd did not start: " + e + "\n" + log, e);
    }
    return db;
  }

  String url() {
    return "jdbc:mariadb://127.0.0.1:" + port + "/webinfra";
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://127.0.0.1:" + port + "/?connectTimeout=1000", "root", "x");
  }

  private void awaitReady(Duration within) throws Exception {
    Instant end = Instant.now().plus(within);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mariadbd exited with " + process.exitValue());
      }
      try (Connection c = connect()) {
        return;
      } catch (SQLException e) {
        if (Instant.now().isAfter(end)) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  // The schema the control plane applies in the lab, from the app's own resources.
  private void applySchema() throws Exception {
    String sql;
    try (var in = LocalMariaDb.class.getResourceAsStream("/schema.sql")) {
      sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    StringBuilder noComments = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (!line.strip().startsWith("--")) {
        noComments.append(line).append('\n');
      }
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String stmt : noComments.toString().split(";")) {
        if (!stmt.isBlank()) {
          s.execute(stmt);
        }
      }
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("err.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** The rows of webinfra.entries with this message. */
  long rows(String message) throws SQLException {
    try (Connection c = connect();
        var ps = c.prepareStatement("SELECT COUNT(*) FROM webinfra.entries WHERE message = ?")) {
      ps.setString(1, message);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
