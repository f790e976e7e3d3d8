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

/**
 * The guestbook: entries written to the primary and read from the replica, with read-your-writes.
 *
 * <p>After a write, the caller gets the transaction's GTID ({@code @@last_gtid}) and hands it back on
 * its next read. Before reading from a replica, the read waits (at most 1 s) for the replica to have
 * applied that GTID ({@code MASTER_GTID_WAIT}); if it has not, the read goes to the primary. So a
 * client always sees its own writes, and reads stay on the replica whenever it keeps up.
 */
public final class Guestbook {
  /** One entry. */
  public record Entry(long id, String author, String message, String servedBy, Instant createdAt) {}

  /** A stored entry and the GTID of the transaction that stored it. */
  public record Written(Entry entry, String gtid) {}

  private final Db db;

  public Guestbook(Db db) {
    this.db = db;
  }

  /** Stores an entry on the primary. */
  public Written add(String author, String message, String servedBy) throws SQLException {
    try (Connection c = db.write()) {
      long id;
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO webinfra.entries (author, message, served_by) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, author);
        ps.setString(2, message);
        ps.setString(3, servedBy);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      String gtid = "";
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
        if (rs.next() && rs.getString(1) != null) {
          gtid = rs.getString(1);
        }
      }
      Entry e = get(c, id).orElseThrow(() -> new SQLException("entry " + id + " vanished right after its insert"));
      return new Written(e, gtid);
    }
  }

  /** The newest entries, newest first; {@code seenGtid} is the client's last write, if any. */
  public List<Entry> latest(int limit, String seenGtid) throws SQLException {
    try (Connection c = readConnection(seenGtid)) {
      List<Entry> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, author, message, served_by, created_at FROM webinfra.entries ORDER BY id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(entry(rs));
          }
        }
      }
      return out;
    }
  }

  /** One entry by id. */
  public Optional<Entry> find(long id, String seenGtid) throws SQLException {
    try (Connection c = readConnection(seenGtid)) {
      return get(c, id);
    }
  }

  /** Whether the database that serves reads answers a trivial query. */
  public void pingRead() throws SQLException {
    try (Connection c = db.read(); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      s.execute("SELECT 1");
    }
  }

  /** Whether the database that takes writes answers a trivial query. */
  public void pingWrite() throws SQLException {
    try (Connection c = db.write(); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      s.execute("SELECT 1");
    }
  }

  private Connection readConnection(String seenGtid) throws SQLException {
    if (db.readsFromWriter() || seenGtid == null || seenGtid.isBlank()) {
      return db.read();
    }
    Connection c = db.read();
    try (PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, 1)")) {
      ps.setString(1, seenGtid);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 0) {
          return c;
        }
      }
    } catch (SQLException e) {
      c.close();
      return db.write();
    }
    // The replica has not caught up with this client's write: read from the primary instead.
    c.close();
    return db.write();
  }

  private static Optional<Entry> get(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id, author, message, served_by, created_at FROM webinfra.entries WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant());
  }
}
