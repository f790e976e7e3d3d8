package dev.webinfra.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's connection pools: writes go to the primary (or to every Galera member, through the
 * driver's sequential fail-over), reads to the first read database that answers. Reads have pools
 * of their own even when they go to the writable database, so reads and {@code /health} never queue
 * behind writes that a Galera reconfiguration or a failover holds up. When the config names new
 * endpoints, as after a promotion, new pools replace the old ones without a restart.
 */
public final class Db implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  /** The pools for one set of endpoints. */
  record Pools(
      AppConfig config,
      HikariDataSource write,
      List<HikariDataSource> reads,
      FirstHealthy readRoute) {}

  /**
   * How long a read waits for a connection: about a second, as a load balancer's check waits no
   * longer.
   */
  static final Duration READ_WAIT = Duration.ofSeconds(1);

  /**
   * How long a write waits for a connection: longer than a Galera member's loss stalls commits
   * (about a second with the evs.* settings webinfra renders), and well under what nginx and
   * HAProxy wait for an answer (30 s): a write held up by a reconfiguration is delayed, not
   * refused.
   */
  static final Duration WRITE_WAIT = Duration.ofSeconds(3);

  /** How long a pooled connection lives (Hikari's least is 30 s). */
  static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

  /**
   * Makes a session's reads causal on a Galera member (a no-op where wsrep is off). Dirty reads go
   * too: MariaDB skips the causality wait for a read in a session that allows dirty reads, and the
   * members allow them globally (so that reads keep working through a view change).
   */
  static final String CAUSAL = "SET SESSION wsrep_sync_wait = 1, wsrep_dirty_reads = OFF";

  private final MeterRegistry metrics;
  private final InstantSource clock;
  // Pool names carry a generation: a pool that replaces another must not share its metrics' tags.
  private final AtomicInteger generation = new AtomicInteger();
  private final AtomicReference<Pools> pools = new AtomicReference<>();

  public Db(AppConfig config, MeterRegistry metrics, InstantSource clock) {
    this.metrics = metrics;
    this.clock = clock;
    pools.set(open(config));
  }

  private Pools open(AppConfig c) {
    String password = c.password();
    int gen = generation.incrementAndGet();
    // With causal reads, every statement that reads on a write session (a keyed write's lookup, a
    // read after the client's own write) first waits until its member has applied what the cluster
    // committed.
    HikariDataSource write =
        pool("write-g" + gen, c.writeUrl(), c, password, WRITE_WAIT, c.causalReads());
    List<HikariDataSource> reads = new ArrayList<>();
    List<FirstHealthy.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < c.readUrls().size(); i++) {
      String url = c.readUrls().get(i);
      boolean writer = url.equals(c.writeUrl());
      HikariDataSource ds = pool("read" + i + "-g" + gen, url, c, password, READ_WAIT, false);
      reads.add(ds);
      candidates.add(new FirstHealthy.Candidate(hosts(url), writer, ds::getConnection));
    }
    return new Pools(c, write, List.copyOf(reads), new FirstHealthy(candidates, clock));
  }

  private HikariDataSource pool(
      String name, String url, AppConfig c, String password, Duration wait, boolean causal) {
    HikariConfig h = new HikariConfig();
    if (causal) {
      h.setConnectionInitSql(CAUSAL);
    }
    h.setPoolName(name);
    h.setJdbcUrl(url);
    h.setUsername(c.dbUser());
    h.setPassword(password);
    h.setMaximumPoolSize(c.poolSize());
    h.setMinimumIdle(1);
    // Start even when the database is not up yet; /health says so until it is.
    h.setInitializationFailTimeout(-1);
    h.setConnectionTimeout(wait.toMillis());
    // A connection lives a minute, not Hikari's 30: the sequential fail-over picks a host when it
    // connects, so after the app's own Galera member comes back from an outage, its writes return
    // to it within a minute instead of staying on the other member for half an hour.
    h.setMaxLifetime(MAX_LIFETIME.toMillis());
    h.setValidationTimeout(500);
    h.addDataSourceProperty("connectTimeout", "1000");
    h.addDataSourceProperty("socketTimeout", "10000");
    h.setMetricRegistry(metrics);
    return new HikariDataSource(h);
  }

  /**
   * The host:port part of a JDBC URL: a name for logs and errors that never carries credentials
   * from its options.
   */
  static String hosts(String url) {
    int start = url.indexOf("//");
    if (start < 0) {
      return url;
    }
    int end = url.indexOf('/', start + 2);
    return url.substring(start + 2, end < 0 ? url.length() : end);
  }

  /** The current config. */
  public AppConfig config() {
    return pools.get().config();
  }

  /** A connection to where writes go. */
  public Connection write() throws SQLException {
    return pools.get().write().getConnection();
  }

  /** A connection to where reads go. */
  public FirstHealthy.Read read() throws SQLException {
    return pools.get().readRoute().connect();
  }

  /** Switches to the endpoints of {@code next} if they differ; the old pools drain and close. */
  public void reconfigure(AppConfig next) {
    Pools old = pools.get();
    if (old.config().writeUrl().equals(next.writeUrl())
        && old.config().readUrls().equals(next.readUrls())) {
      return;
    }
    LOG.info(
        "db endpoints changed: writes {} -> {}, reads {} -> {}",
        hosts(old.config().writeUrl()),
        hosts(next.writeUrl()),
        old.config().readUrls().stream().map(Db::hosts).toList(),
        next.readUrls().stream().map(Db::hosts).toList());
    pools.set(open(next));
    close(old);
  }

  private static void close(Pools p) {
    p.write().close();
    p.reads().forEach(HikariDataSource::close);
  }

  @Override
  public void close() {
    close(pools.get());
  }
}
