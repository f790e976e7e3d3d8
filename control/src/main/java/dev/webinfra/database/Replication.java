package dev.webinfra.database;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.HostDriver;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Host;
import dev.webinfra.wait.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
    // A replica that already follows one of them stays there: the controller may have moved it
    // off the configured source, and moving it back to a member that just rejoined (perhaps by
    // full state transfer, without the binlog it needs) gains nothing.
    Map<String, String> now = sql.slaveStatusAfter(replica.name(), "");
    List<Host> order = new ArrayList<>(sources);
    if (running(now)) {
      sources.stream()
          .filter(s -> s.addressFor(replica).toString().equals(now.get("Master_Host")))
          .findFirst()
          .ifPresent(
              current -> {
                order.remove(current);
                order.add(0, current);
              });
    }
    for (Host source : order) {
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
    Map<String, String> now = sql.slaveStatusAfter(replica.name(), "");
    boolean ok = want.equals(now.get("Master_Host")) && running(now);
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

  /** Waits until {@code replica}'s IO and SQL threads both run, or fails with their errors. */
  public void awaitReplicating(Host replica, Duration timeout) {
    // 1236: the source no longer has the binlog this replica needs; waiting will not help. One
    // status exec per look, every 50 ms: a failover waits here for its replicas.
    AtomicReference<Map<String, String>> seen = new AtomicReference<>(Map.of());
    poll.within(
        timeout,
        Duration.ofMillis(50),
        () -> {
          Map<String, String> s = sql.slaveStatusAfter(replica.name(), "");
          seen.set(s);
          return running(s) || "1236".equals(s.get("Last_IO_Errno"));
        });
    if (running(seen.get())) {
      return;
    }
    List<String> errors = new ArrayList<>();
    for (String f :
        List.of("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error")) {
      errors.add(f + "=" + seen.get().getOrDefault(f, "?"));
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

  private static boolean running(Map<String, String> status) {
    return "Yes".equals(status.get("Slave_IO_Running"))
        && "Yes".equals(status.get("Slave_SQL_Running"));
  }
}
