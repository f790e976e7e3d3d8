package dev.webinfra.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
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
 * is nothing to wait for, unless that URL names Galera members and causal reads are on: another
 * member may have taken the write and this one not applied it yet, so the read goes to a write
 * session, which waits for the cluster ({@code wsrep_sync_wait = 1}). So a client always sees its
 * own writes, and reads stay on the replica whenever it keeps up.
 */
public final class Guestbook {
  private static final Logger LOG = LoggerFactory.getLogger(Guestbook.class);
  private static final String COLUMNS =
      "SELECT id, author, message, served_by, created_at FROM webinfra.entries";

  /** One entry. */
  public record Entry(long id, String author, String message, String servedBy, Instant createdAt) {}

  /**
   * A write's answer: the stored entry, the GTID of the transaction that stored it (empty when the
   * server logs none), the HTTP status it was answered with ({@link #CREATED} for the API, {@link
   * #SEE_OTHER} for the form), and whether this is a client's repeat of a keyed write, answered
   * with what the first one was.
   */
  public record Written(Entry entry, String gtid, int status, boolean repeat) {}

  /** The API's answer to a write. */
  public static final int CREATED = 201;

  /** The form's answer to a write: post/redirect/get. */
  public static final int SEE_OTHER = 303;

  /** Where a write gets its connection: the write pool; a test breaks it on purpose. */
  interface Connections {
    Connection get() throws SQLException;
  }

  private final Db db;
  private final Connections writes;

  public Guestbook(Db db) {
    this(db, db::write);
  }

  Guestbook(Db db, Connections writes) {
    this.db = db;
    this.writes = writes;
  }

  /** Stores an entry on the primary, without a client's key: each call stores one entry. */
  public Written add(String author, String message, String servedBy) throws SQLException {
    try {
      return add(author, message, servedBy, null, CREATED);
    } catch (Rejected e) {
      throw new IllegalStateException("a write without a key cannot be refused as a repeat", e);
    }
  }

  /**
   * Stores an entry on the primary, answered with {@code status}, together with a key in one
   * transaction, under a unique index: the client's {@code key}, or a fresh one of the app's own
   * when it sent none. A repeat of a client's key (sent again, or retried on another server while
   * the first was in flight) writes nothing and gets the first write's answer; 422 if the repeat
   * asks for another entry than the first.
   *
   * <p>The key also makes the app's own retry safe. A try that a conflict rolled back, or whose
   * connection broke (its member died, perhaps after the cluster had its commit), is tried again on
   * a new connection, which the driver's fail-over gives to a live member; that try first looks the
   * key up, and answers the stored entry if the broken try had in fact committed. Without the key
   * such a try could not tell: on Galera, a member cut off while its commit replicates reports a
   * deadlock (1213) although the other members may have committed it, and trying again stored the
   * entry twice.
   */
  public Written add(String author, String message, String servedBy, IdempotencyKey key, int status)
      throws SQLException, Rejected {
    boolean own = key == null;
    IdempotencyKey k = own ? IdempotencyKey.random() : key;
    Write w = new Write(author, message, servedBy, k, status, own);
    for (int attempt = 1; ; attempt++) {
      try {
        // A client's key may have been used before; the app's own is new until its first try.
        return addOnce(w, !own || attempt > 1);
      } catch (Unsettled e) {
        if (attempt >= INSERT_TRIES) {
          throw e.cause;
        }
        LOG.warn(
            "entries: insert {}, trying again with key {} ({}/{}): {}",
            rolledBack(e.cause) ? "rolled back" : "cut off",
            k,
            attempt,
            INSERT_TRIES,
            e.cause.getMessage());
      }
    }
  }

  /**
   * How many times an insert is tried. Galera rolls back a local transaction that conflicts with
   * one ordered ahead of it (a write on the other member, or a statement run in total order such as
   * the schema and the accounts, which every {@code up} and {@code scale} run again) and the client
   * gets error 1213: bench/maintenance.sh saw one write fail so, with a 503, during {@code scale
   * web=4}. And a member's death breaks the connections of the writes in flight on it.
   */
  static final int INSERT_TRIES = 3;

  /** Whether {@code e} says the statement's transaction was rolled back: deadlock or conflict. */
  static boolean rolledBack(SQLException e) {
    return e.getErrorCode() == 1213 || "40001".equals(e.getSQLState());
  }

  /**
   * Whether {@code e} says the connection broke under the statement, so that its outcome is
   * unknown: a connection error (SQL state 08), Connector/J's "reconnected after a communications
   * link failure" (25S03), or the server killing the connection as it shuts down (1927). Not a
   * Galera member that refuses statements out of the primary component (1047, 08S01): it wrote
   * nothing, and a new connection would reach it again.
   */
  static boolean cutOff(SQLException e) {
    String state = e.getSQLState();
    if (e.getErrorCode() == WSREP_NOT_READY) {
      return false;
    }
    return e.getErrorCode() == CONNECTION_KILLED
        || state != null && (state.startsWith("08") || state.equals("25S03"));
  }

  private static final int WSREP_NOT_READY = 1047;
  private static final int CONNECTION_KILLED = 1927;

  /**
   * Whether {@code e} says a unique index refused the row: the key is taken. On Galera, a duplicate
   * from the other member shows so once its write set is applied here; before that, it shows as a
   * conflict ({@link #rolledBack}) and the next try sees the duplicate.
   */
  static boolean duplicate(SQLException e) {
    return e.getErrorCode() == 1062 || e instanceof SQLIntegrityConstraintViolationException;
  }

  /** A try that may be made again: it was rolled back, or its outcome is unknown. */
  private static final class Unsettled extends Exception {
    private final SQLException cause;

    Unsettled(SQLException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /**
   * One write to store: the entry, its answer's status, and its key, the app's {@code own} when the
   * client sent none.
   */
  private record Write(
      String author,
      String message,
      String servedBy,
      IdempotencyKey key,
      int status,
      boolean own) {}

  private Written addOnce(Write w, boolean lookFirst) throws SQLException, Unsettled, Rejected {
    try (Connection c = writes.get()) {
      try {
        return addOn(c, w, lookFirst);
      } catch (SQLException e) {
        if (rolledBack(e) || cutOff(e)) {
          throw new Unsettled(e);
        }
        throw e;
      }
    }
  }

  private static Written addOn(Connection c, Write w, boolean lookFirst)
      throws SQLException, Rejected {
    if (lookFirst) {
      // Most repeats find their first write here, and never take a lock.
      Optional<Written> first = first(c, w);
      if (first.isPresent()) {
        return first.get();
      }
    }
    long id;
    c.setAutoCommit(false);
    try {
      id = insertEntry(c, w.author(), w.message(), w.servedBy());
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO webinfra.entry_keys (idem_key, entry_id, status) VALUES (?, ?, ?)")) {
        ps.setString(1, w.key().value());
        ps.setLong(2, id);
        ps.setInt(3, w.status());
        // A concurrent write of the same key holds its index entry: this waits for it, then
        // fails as a duplicate if it committed.
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      rollback(c, e);
      if (duplicate(e)) {
        c.setAutoCommit(true);
        return first(c, w)
            .orElseThrow(
                () ->
                    new SQLException(
                        "entries: key "
                            + w.key()
                            + " is taken, but its write is not readable here yet",
                        e));
      }
      // A conflict, or a connection lost at commit, is tried again (see add); anything else is
      // the client's to retry, with its key.
      throw e;
    } finally {
      autocommit(c);
    }
    String gtid = lastGtid(c);
    if (!w.own() && !gtid.isEmpty()) {
      // After the commit, since a GTID is only known then: a repeat answers the same body, GTID
      // included. If this fails, a repeat answers without it and reads simply go to the primary.
      // The app's own keys are never repeated by a client: no second transaction for them.
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE webinfra.entry_keys SET gtid = ? WHERE idem_key = ?")) {
        ps.setString(1, gtid);
        ps.setString(2, w.key().value());
        ps.executeUpdate();
      } catch (SQLException e) {
        LOG.warn("entry_keys: cannot note the GTID of key {}: {}", w.key(), Responses.describe(e));
      }
    }
    return new Written(stored(c, id), gtid, w.status(), false);
  }

  /**
   * The first answer to {@code key}, if it was used; 422 if it was used for another entry. The
   * app's {@code own} key was used by this very write, in a try whose outcome was unknown: that is
   * no repeat, and its GTID was never noted.
   */
  private static Optional<Written> first(Connection c, Write write) throws SQLException, Rejected {
    IdempotencyKey key = write.key();
    String author = write.author();
    String message = write.message();
    if (write.own()) {
      return firstOnce(c, key, author, message)
          .map(w -> new Written(w.entry(), "", w.status(), false));
    }
    for (int look = 1; ; look++) {
      Optional<Written> w = firstOnce(c, key, author, message);
      // The first write notes its GTID just after its commit: a repeat that arrives in between
      // waits for it briefly, so that it answers the same body. A first write whose server died in
      // between never notes it; then the repeat answers without it after GTID_WAIT.
      if (w.isEmpty() || !w.get().gtid().equals(PENDING)) {
        return w;
      }
      if (look * GTID_POLL_MS >= GTID_WAIT_MS) {
        return Optional.of(withGtid(w.get(), ""));
      }
      try {
        Thread.sleep(GTID_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("entries: interrupted while waiting for key " + key, e);
      }
    }
  }

  // How long a repeat waits for the first write's GTID, and how often it looks.
  static final long GTID_WAIT_MS = 1000;
  static final long GTID_POLL_MS = 20;
  // A key row so young that its write may still be noting its GTID.
  private static final String PENDING = "\0pending";

  private static Written withGtid(Written w, String gtid) {
    return new Written(w.entry(), gtid, w.status(), w.repeat());
  }

  private static Optional<Written> firstOnce(
      Connection c, IdempotencyKey key, String author, String message)
      throws SQLException, Rejected {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT k.status, k.gtid, e.id, e.author, e.message, e.served_by, e.created_at,"
                + " k.created_at > NOW(3) - INTERVAL 2 SECOND AND @@log_bin"
                + " FROM webinfra.entry_keys k JOIN webinfra.entries e ON e.id = k.entry_id"
                + " WHERE k.idem_key = ?")) {
      ps.setString(1, key.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Entry e =
            new Entry(
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant());
        if (!e.author().equals(author) || !e.message().equals(message)) {
          throw new Rejected(
              422,
              "header "
                  + IdempotencyKey.HEADER
                  + " "
                  + key
                  + " was used for another entry ("
                  + e.id()
                  + "); a new entry needs a new key");
        }
        String gtid = rs.getString(2);
        boolean young = rs.getBoolean(8);
        return Optional.of(
            new Written(e, gtid.isEmpty() && young ? PENDING : gtid, rs.getInt(1), true));
      }
    }
  }

  private static long insertEntry(Connection c, String author, String message, String servedBy)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO webinfra.entries (author, message, served_by) VALUES (?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, author);
      ps.setString(2, message);
      ps.setString(3, servedBy);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("entries: insert returned no generated id");
        }
        return keys.getLong(1);
      }
    }
  }

  private static void rollback(Connection c, SQLException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // The connection is likely gone; the server rolls back what it never saw committed.
      cause.addSuppressed(e);
    }
  }

  // Back to autocommit for the statements after the write, and for the pool; on a broken
  // connection this fails too, and HikariCP drops the connection anyway.
  private static void autocommit(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.debug("entries: cannot restore autocommit: {}", e.getMessage());
    }
  }

  private static String lastGtid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
    }
  }

  private static Entry stored(Connection c, long id) throws SQLException {
    return get(c, id)
        .orElseThrow(
            () -> new SQLException("entries: entry " + id + " vanished right after its insert"));
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
      // A Galera member out of the primary component, or still catching up after a restart, may
      // answer SELECT 1 (dirty reads) but refuses or serves stale data for real work: the server is
      // unhealthy at once, so HAProxy takes it out and retries its requests elsewhere. SHOW STATUS
      // needs no privilege. A server built with Galera but not running it (wsrep_on OFF: a
      // replica, a standalone primary) says wsrep_ready OFF too, and is not asked.
      String ready = null;
      String state = null;
      boolean galera;
      try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE 'wsrep_on'")) {
        galera = rs.next() && "ON".equalsIgnoreCase(rs.getString(2));
      }
      if (!galera) {
        return;
      }
      try (ResultSet rs =
          s.executeQuery(
              "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state')")) {
        while (rs.next()) {
          if (rs.getString(1).equalsIgnoreCase("wsrep_ready")) {
            ready = rs.getString(2);
          } else {
            state = rs.getString(2);
          }
        }
      }
      String problem = galeraProblem(ready, state);
      if (problem != null) {
        // 08S01, as the server's own refusal (1047): HikariCP drops the connection, so the next
        // one is made afresh.
        throw new SQLException(problem, "08S01", 1047);
      }
    }
  }

  /**
   * Why a Galera member must not serve, from its {@code wsrep_ready} and {@code wsrep_local_state}
   * (both null when the server did not report them), or null when it may: ready, and Synced (4) or
   * a donor (2, Donor/Desynced). A donor holds everything (it is the source of the transfer):
   * serving an incremental transfer from its gcache it is not even locked, and a member that
   * restarts after a crash rejoins that way (its start script recovers its position). Taking the
   * donor out too would leave a two-member cluster no healthy member until the joiner is synced.
   */
  static String galeraProblem(String ready, String state) {
    if (ready == null && state == null) {
      return null;
    }
    if (!"ON".equalsIgnoreCase(ready)) {
      return "galera: wsrep_ready is " + ready + ": this member is not in the primary component";
    }
    if (!"4".equals(state) && !"2".equals(state)) {
      String name =
          switch (state == null ? "" : state) {
            case "1" -> "Joining";
            case "3" -> "Joined";
            default -> "unknown";
          };
      return "galera: wsrep_local_state is "
          + state
          + " ("
          + name
          + "), neither 4 (Synced) nor 2 (Donor/Desynced): this member is catching up";
    }
    return null;
  }

  private Connection readConnection(String seenGtid) throws SQLException {
    FirstHealthy.Read r = db.read();
    if (seenGtid == null || r.writer() && !db.config().causalReads()) {
      return r.connection();
    }
    if (r.writer()) {
      // A Galera member may not have applied a write another member took yet: the read goes to a
      // write session, whose reads wait for the cluster (causal reads).
      r.close();
      return db.write();
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
