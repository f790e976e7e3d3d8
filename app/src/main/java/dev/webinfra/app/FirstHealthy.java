package dev.webinfra.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where reads go: the first database of {@code db.read.urls}, in order, that gives a connection.
 * One that just failed is tried last for {@link #BACKOFF}, so a dead replica costs one connection
 * timeout every few seconds instead of one per request.
 */
final class FirstHealthy {
  static final Duration BACKOFF = Duration.ofSeconds(5);

  /**
   * A database that reads can go to, by the name shown in errors (its host and port, never its
   * credentials).
   */
  record Candidate(String name, boolean writer, Source source) {}

  /** Gives a connection or says why not. */
  @FunctionalInterface
  interface Source {
    Connection connect() throws SQLException;
  }

  /**
   * An open read connection, and whether it is on the writable database itself (then no GTID wait
   * is needed).
   */
  record Read(Connection connection, boolean writer) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  private final List<Candidate> candidates;
  private final InstantSource clock;
  private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();

  FirstHealthy(List<Candidate> candidates, InstantSource clock) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("reads: at least one database is needed");
    }
    this.candidates = List.copyOf(candidates);
    this.clock = clock;
  }

  /** A connection to the first database that answers; the error names every database tried. */
  Read connect() throws SQLException {
    Instant now = clock.instant();
    List<Candidate> order = new ArrayList<>(candidates.size());
    List<Candidate> lately = new ArrayList<>();
    for (Candidate c : candidates) {
      Instant failed = failedAt.get(c.name());
      (failed != null && now.isBefore(failed.plus(BACKOFF)) ? lately : order).add(c);
    }
    // Still tried, last: when every replica failed lately, one of them may be back.
    order.addAll(lately);
    SQLException failure = null;
    for (Candidate c : order) {
      try {
        Connection connection = c.source().connect();
        failedAt.remove(c.name());
        return new Read(connection, c.writer());
      } catch (SQLException e) {
        failedAt.put(c.name(), now);
        if (failure == null) {
          String tried =
              order.size() == 1
                  ? ""
                  : " (tried " + order.stream().map(Candidate::name).toList() + ")";
          failure =
              new SQLException(
                  "reads: no database answers" + tried + "; " + c.name() + ": " + e.getMessage(),
                  e.getSQLState(),
                  e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    throw failure;
  }
}
