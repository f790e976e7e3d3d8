package dev.webinfra.database;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.mariadb.MariadbUnit;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs SQL as MariaDB's root on a host, through the server's socket (root has no password). */
public final class Sql {
  private final HostDriver driver;

  public Sql(HostDriver driver) {
    this.driver = driver;
  }

  private String defaults(String host) {
    return "--defaults-file=" + MariadbUnit.myCnf(driver.paths(host));
  }

  /**
   * Runs statements (from stdin, so nothing shows in a process list); fails with the server's
   * error.
   */
  public List<List<String>> run(String host, String sql) {
    ExecResult r = tryRun(host, sql);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState("host " + host + ": SQL failed: " + r.describe());
    }
    return r.stdout()
        .lines()
        .filter(l -> !l.isEmpty())
        .map(l -> Arrays.asList(l.split("\t", -1)))
        .toList();
  }

  /** Runs statements and returns what happened, without failing. */
  public ExecResult tryRun(String host, String sql) {
    return driver.exec(
        host,
        List.of("mariadb", defaults(host), "--connect-timeout=2", "-N", "-B"),
        sql,
        Duration.ofSeconds(30));
  }

  /** The first column of the first row of a query, if the server answered with one. */
  public Optional<String> value(String host, String query) {
    ExecResult r = tryRun(host, query);
    if (!r.ok()) {
      return Optional.empty();
    }
    return r.stdout().lines().findFirst().map(l -> l.split("\t", -1)[0]);
  }

  /** One named field of {@code SHOW SLAVE STATUS}, if the server is a replica. */
  public Optional<String> slaveStatus(String host, String field) {
    return Optional.ofNullable(slaveStatusAfter(host, "").get(field));
  }

  /**
   * The fields of {@code SHOW SLAVE STATUS}, after running {@code before} in the same session; one
   * exec instead of one per field, since a failover waits for each. Empty when the server does not
   * answer or is no replica.
   */
  public Map<String, String> slaveStatusAfter(String host, String before) {
    ExecResult r =
        driver.exec(
            host,
            List.of(
                "mariadb",
                defaults(host),
                "--connect-timeout=2",
                "-e",
                before + "SHOW SLAVE STATUS\\G"),
            null,
            Duration.ofSeconds(10));
    Map<String, String> fields = new HashMap<>();
    if (r.ok()) {
      r.stdout()
          .lines()
          .map(String::strip)
          .filter(l -> l.indexOf(':') > 0)
          .forEach(
              l ->
                  fields.putIfAbsent(
                      l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
    }
    return fields;
  }

  /** Quotes a string for SQL. */
  public static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
