package dev.webinfra.database;

import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.mariadb.MariadbUnit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replica's replication as the replica itself reports it ({@code SHOW SLAVE STATUS}), or why it
 * is unknown. Status, the controller and promotion all read replicas through this, so that none of
 * them says what the topology file meant instead of what runs.
 *
 * @param known the replica's server answered
 * @param unknownWhy why nothing is known (empty when {@code known})
 * @param sourceAddress {@code Master_Host}, empty when the server replicates from nothing
 * @param io {@code Slave_IO_Running}: Yes, Connecting or No
 * @param sql {@code Slave_SQL_Running}: Yes or No
 * @param lastIoErrno {@code Last_IO_Errno}
 * @param lastIoError {@code Last_IO_Error}
 * @param lastSqlError {@code Last_SQL_Error}
 * @param received {@code Gtid_IO_Pos}: what it received
 * @param applied {@code gtid_slave_pos}: what it applied
 * @param behindSeconds {@code Seconds_Behind_Master}, or -1 when NULL
 */
public record ReplicaState(
    boolean known,
    String unknownWhy,
    String sourceAddress,
    String io,
    String sql,
    int lastIoErrno,
    String lastIoError,
    String lastSqlError,
    String received,
    String applied,
    long behindSeconds) {

  /** Nothing known, for {@code why}. */
  public static ReplicaState unknown(String why) {
    return new ReplicaState(false, why, "", "", "", 0, "", "", "", "", -1);
  }

  /** Asks {@code host}'s server, waiting at most about two seconds. */
  public static ReplicaState read(HostDriver driver, String host) {
    ExecResult r =
        driver.exec(
            host,
            List.of(
                "mariadb",
                "--defaults-file=" + MariadbUnit.myCnf(driver.paths(host)),
                "--connect-timeout=1",
                "-e",
                "SHOW SLAVE STATUS\\G SELECT @@gtid_slave_pos AS Gtid_Slave_Pos\\G"),
            null,
            Duration.ofSeconds(3));
    if (!r.ok()) {
      String err = r.stderr().strip().lines().findFirst().orElse("exit " + r.exitCode());
      return unknown("its server did not answer (" + err + ")");
    }
    return parse(r.stdout());
  }

  /** Parses the vertical ({@code \G}) output of the query {@link #read} sends. */
  public static ReplicaState parse(String vertical) {
    Map<String, String> f = new HashMap<>();
    vertical
        .lines()
        .map(String::strip)
        .filter(l -> l.indexOf(':') > 0)
        .forEach(
            l ->
                f.putIfAbsent(
                    l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
    if (!f.containsKey("Slave_IO_Running")) {
      // Not a replica at all: no source, both threads off.
      return new ReplicaState(
          true, "", "", "No", "No", 0, "", "", "", f.getOrDefault("Gtid_Slave_Pos", ""), -1);
    }
    return new ReplicaState(
        true,
        "",
        f.getOrDefault("Master_Host", ""),
        f.get("Slave_IO_Running"),
        f.getOrDefault("Slave_SQL_Running", "No"),
        intOf(f.get("Last_IO_Errno")),
        f.getOrDefault("Last_IO_Error", ""),
        f.getOrDefault("Last_SQL_Error", ""),
        f.getOrDefault("Gtid_IO_Pos", ""),
        f.getOrDefault("Gtid_Slave_Pos", ""),
        longOf(f.get("Seconds_Behind_Master")));
  }

  /** Both threads run and the IO thread has no error: it follows its source. */
  public boolean following() {
    return known && "Yes".equals(io) && "Yes".equals(sql) && lastIoErrno == 0;
  }

  /** The IO thread is stopped or failing: it receives nothing new. */
  public boolean ioBroken() {
    return known && (!"Yes".equals(io) || lastIoErrno != 0);
  }

  /** One line for an operator: threads and the first error, if any. */
  public String describe() {
    if (!known) {
      return "unknown: " + unknownWhy;
    }
    String s = "IO " + io + ", SQL " + sql;
    if (!lastIoError.isEmpty()) {
      s += "; IO error " + lastIoErrno + ": " + lastIoError;
    }
    if (!lastSqlError.isEmpty()) {
      s += "; SQL error: " + lastSqlError;
    }
    return s;
  }

  private static int intOf(String s) {
    try {
      return s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long longOf(String s) {
    try {
      return s == null || s.isEmpty() || s.equals("NULL") ? -1 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
