package dev.webinfra.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guestbook: entries written to the primary and read from a replica, with read-your-writes.
 *
 * <p>After a write, the app reads the transaction's GTID ({@code SELECT @@last_gtid}, in the
 * writing session) and gives it to the client in the {@code wi_gtid} cookie. On the client's next
 * read, if the read connection is on a replica, the app first runs {@code SELECT
 * MASTER_GTID_WAIT(gtid, 1)} there: 0 means the replica has applied that write and the read stays
 * on it; -1 (it did not catch up within 1 s), NULL or an error sends the read to the primary
 * instead. When the read database is the primary itself (a read URL equal to the write URL) there
 * is nothing to wait for. So a client always sees its own writes, and reads stay on the replica
 * whenever it keeps up.
 */
public final class Guestbook {
  private static final Logger LOG = LoggerFactory.getLogger(Guestbook.class);
  private static final String COLUMNS =
      "SELECT id, author, message, served_by, created_at FROM webinfra.entries";

  /** One entry. */
  public record Entry(long id, String author, String message, String servedBy, Instant createdAt) {}

  /**
   * A stored entry and the GTID of the transaction that stored it (empty when the server logs
   * none).
   */
  public record Written(Entry entry, String gtid) {}

  private final Db db;

  public Guestbook(Db db) {
    this.db = db;
  }

  /** Stores an entry on the primary. */
  public Written add(String author, String message, String servedBy) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return addOnce(author, message, servedBy);
      } catch (RolledBack e) {
        // The insert was rolled back whole (autocommit), so trying again cannot write it twice.
        if (attempt >= INSERT_TRIES) {
          throw e.cause;
        }
        LOG.warn(
            "entries: insert rolled back, trying again ({}/{}): {}",
            attempt,
            INSERT_TRIES,
            e.cause.getMessage());
      }
    }
  }

  /**
   * How many times an insert rolled back by a conflict is tried. Galera rolls back a local
   * transaction that conflicts with one ordered ahead of it (a write on the other member, or a
   * statement run in total order such as the schema and the accounts, which every {@code up} and
   * {@code scale} run again) and the client gets error 1213. bench/maintenance.sh saw one write
   * fail so, with a 503, during {@code scale web=4}.
   */
  static final int INSERT_TRIES = 3;

  /** Whether {@code e} says the statement's transaction was rolled back: deadlock or conflict. */
  static boolean rolledBack(SQLException e) {
    return e.getErrorCode() == 1213 || "40001".equals(e.getSQLState());
  }

  /** An insert that did not happen: it was rolled back (see {@link #rolledBack}). */
  private static final class RolledBack extends Exception {
    private final SQLException cause;

    RolledBack(SQLException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  private Written addOnce(String author, String message, String servedBy)
      throws SQLException, RolledBack {
    try (Connection c = db.write()) {
      long id;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO webinfra.entries (author, message, served_by) VALUES (?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, author);
        ps.setString(2, message);
        ps.setString(3, servedBy);
        try {
          ps.executeUpdate();
        } catch (SQLException e) {
          // Only the insert itself is retried: once it has committed, a later failure must not
          // write the entry again.
          if (rolledBack(e)) {
            throw new RolledBack(e);
          }
          throw e;
        }
        try (ResultSet keys = ps.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("entries: insert returned no generated id");
          }
          id = keys.getLong(1);
        }
      }
      // Same session as the insert: @@last_gtid is per session, and autocommit has committed it by
      // now.
      String gtid = "";
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
        if (rs.next() && rs.getString(1) != null) {
          gtid = rs.getString(1);
        }
      }
      Entry e =
          get(c, id)
              .orElseThrow(
                  () ->
                      new SQLException(
                          "entries: entry " + id + " vanished right after its insert"));
      return new Written(e, gtid);
    }
  }

  /** The newest entries, newest first; {@code seenGtid} is the client's last write, or null. */
  public List<Entry> latest(int limit, String seenGtid) throws SQLException {
    try (Connection c = readConnection(seenGtid);
        PreparedStatement ps = c.prepareStatement(COLUMNS + " ORDER BY id DESC LIMIT ?")) {
      ps.setInt(1, limit);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
      return out;
    }
  }

  /** One entry by id; {@code seenGtid} is the client's last write, or null. */
  public Optional<Entry> find(long id, String seenGtid) throws SQLException {
    try (Connection c = readConnection(seenGtid)) {
      return get(c, id);
    }
  }

  /** Throws unless the database that serves reads answers a trivial query within about a second. */
  public void pingRead() throws SQLException {
    try (FirstHealthy.Read r = db.read()) {
      ping(r.connection());
    }
  }

  /** Throws unless the database that takes writes answers a trivial query within about a second. */
  public void pingWrite() throws SQLException {
    try (Connection c = db.write()) {
      ping(c);
    }
  }

  private static void ping(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      s.execute("SELECT 1");
    }
  }

  private Connection readConnection(String seenGtid) throws SQLException {
    FirstHealthy.Read r = db.read();
    if (r.writer() || seenGtid == null) {
      return r.connection();
    }
    try (PreparedStatement ps = r.connection().prepareStatement("SELECT MASTER_GTID_WAIT(?, 1)")) {
      ps.setString(1, seenGtid);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 0 && !rs.wasNull()) {
          return r.connection();
        }
      }
    } catch (SQLException e) {
      // Not fatal: the primary has the write for sure, so the read goes there (below).
      LOG.warn(
          "read-your-writes: waiting for {} on the replica failed, reading from the primary: {}",
          seenGtid,
          Responses.describe(e));
    }
    r.close();
    return db.write();
  }

  private static Optional<Entry> get(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getTimestamp(5).toInstant());
  }
}
