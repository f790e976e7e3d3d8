package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.HostDriver;
import dev.webinfra.topology.Host;
import dev.webinfra.wait.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Points asynchronous replicas at their source by GTID, and waits until they replicate. */
public final class Replication {
  private final Sql sql;
  private final Secrets secrets;
  private final Poll poll;
  private final Consumer<String> say;

  public Replication(HostDriver driver, Secrets secrets, Poll poll, Consumer<String> say) {
    this.sql = new Sql(driver);
    this.secrets = secrets;
    this.poll = poll;
    this.say = say;
  }

  /** Points {@code replica} at the first source that can serve it from its position. */
  public void fromAny(Host replica, List<Host> sources) {
    List<String> failures = new ArrayList<>();
    for (Host source : sources) {
      try {
        follow(replica, source);
        return;
      } catch (WebinfraException e) {
        failures.add(source.name() + ": " + e.getMessage());
        say.accept(
            "  "
                + replica.name()
                + "/mariadb: cannot follow "
                + source.name()
                + ", trying the next member");
      }
    }
    throw WebinfraException.unexpectedState(
        "host "
            + replica.name()
            + ": no member can serve its replication ("
            + String.join("; ", failures)
            + "); rebuild it by taking it down and up again");
  }

  /** Points {@code replica} at {@code source} (by GTID) unless it already replicates from it. */
  public void follow(Host replica, Host source) {
    String want = source.addressFor(replica).toString();
    Optional<String> current = sql.slaveStatus(replica.name(), "Master_Host");
    boolean ok =
        current.filter(want::equals).isPresent()
            && sql.slaveStatus(replica.name(), "Slave_IO_Running").filter("Yes"::equals).isPresent()
            && sql.slaveStatus(replica.name(), "Slave_SQL_Running")
                .filter("Yes"::equals)
                .isPresent();
    if (!ok) {
      say.accept(
          "  "
              + replica.name()
              + "/mariadb: replicating from "
              + source.name()
              + " ("
              + want
              + ")");
      // current_pos: a former primary resumes after its own last transaction, never replays it.
      sql.run(
          replica.name(),
          "STOP SLAVE;\nSET GLOBAL read_only = ON;\nCHANGE MASTER TO MASTER_HOST = "
              + Sql.quote(want)
              + ", MASTER_PORT = "
              + source.settings().db().port()
              + ", MASTER_USER = 'repl', MASTER_PASSWORD = "
              + Sql.quote(secrets.password("db-repl"))
              + ", MASTER_USE_GTID = current_pos, MASTER_CONNECT_RETRY = 1;\nSTART SLAVE;\n");
    }
    awaitReplicating(replica, Duration.ofSeconds(30));
  }

  public void awaitReplicating(Host replica, Duration timeout) {
    // 1236: the source no longer has the binlog this replica needs; waiting will not help.
    poll.within(
        timeout,
        Duration.ofMillis(200),
        () ->
            (sql.slaveStatus(replica.name(), "Slave_IO_Running").filter("Yes"::equals).isPresent()
                    && sql.slaveStatus(replica.name(), "Slave_SQL_Running")
                        .filter("Yes"::equals)
                        .isPresent())
                || sql.slaveStatus(replica.name(), "Last_IO_Errno")
                    .filter("1236"::equals)
                    .isPresent());
    if (sql.slaveStatus(replica.name(), "Slave_IO_Running").filter("Yes"::equals).isPresent()
        && sql.slaveStatus(replica.name(), "Slave_SQL_Running").filter("Yes"::equals).isPresent()) {
      return;
    }
    List<String> errors = new ArrayList<>();
    for (String f :
        List.of("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error")) {
      errors.add(f + "=" + sql.slaveStatus(replica.name(), f).orElse("?"));
    }
    throw WebinfraException.unexpectedState(
        "host "
            + replica.name()
            + ": replication not running after "
            + timeout.toSeconds()
            + " s ("
            + String.join(", ", errors)
            + ")");
  }
}
