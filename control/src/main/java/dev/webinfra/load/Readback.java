package dev.webinfra.load;

import dev.webinfra.WebinfraException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads back a run's rows from every database server, once replication has settled: every readable
 * server holds the same count twice in a row, or the wait is over (a replica that lags is then
 * reported as such, not waited for without end).
 */
public final class Readback {
  private static final long POLL_MS = 250;

  private Readback() {}

  /** The rows of run {@code runId} on each database server of {@code site}. */
  public static List<ServerRows> read(
      Site site, String runId, Duration settle, Clock clock, Consumer<String> say) {
    String where = " FROM webinfra.entries WHERE message LIKE '" + likePrefix(runId) + "%'";
    Instant deadline = clock.instant().plus(settle);
    Map<String, String> last = Map.of();
    while (true) {
      Map<String, String> counts = new HashMap<>();
      for (String db : site.databases()) {
        try {
          counts.put(db, site.query(db, "SELECT COUNT(*)" + where).get(0).strip());
        } catch (WebinfraException | IndexOutOfBoundsException e) {
          // Unreadable now (stopped, restarting): it may be back by the next poll.
        }
      }
      boolean agree = counts.values().stream().distinct().count() <= 1;
      if ((agree && counts.equals(last)) || !clock.instant().isBefore(deadline)) {
        if (!agree) {
          say.accept(
              "load: replication had not settled after " + settle.toSeconds() + " s: " + counts);
        }
        break;
      }
      last = counts;
      sleep();
    }
    List<ServerRows> out = new ArrayList<>();
    for (String db : site.databases()) {
      try {
        out.add(ServerRows.read(db, site.query(db, "SELECT message" + where)));
      } catch (WebinfraException e) {
        out.add(ServerRows.unreadable(db, e.getMessage()));
      }
    }
    return out;
  }

  /** The run's tag as a LIKE prefix; run ids are letters and digits, so nothing needs escaping. */
  static String likePrefix(String runId) {
    if (!runId.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("run id must be lower-case letters and digits: " + runId);
    }
    return "load-" + runId + "-";
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("load: interrupted while reading back", e);
    }
  }
}
