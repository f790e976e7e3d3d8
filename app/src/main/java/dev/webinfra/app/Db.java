package dev.webinfra.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's two connection pools: writes go to the primary (or to every Galera member, through the
 * driver's sequential fail-over), reads to the local replica. When the config names new endpoints,
 * as after a promotion, new pools replace the old ones without a restart.
 */
public final class Db implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);

  /** A pair of pools for one set of endpoints. */
  record Pools(AppConfig config, HikariDataSource write, HikariDataSource read) {}

  private final MeterRegistry metrics;
  private final AtomicReference<Pools> pools = new AtomicReference<>();

  public Db(AppConfig config, MeterRegistry metrics) {
    this.metrics = metrics;
    pools.set(open(config));
  }

  private Pools open(AppConfig c) {
    String password = c.password();
    HikariDataSource write = pool("write", c.writeUrl(), c, password);
    HikariDataSource read = c.readsFromWriter() ? write : pool("read", c.readUrls().get(0), c, password);
    return new Pools(c, write, read);
  }

  private HikariDataSource pool(String name, String url, AppConfig c, String password) {
    HikariConfig h = new HikariConfig();
    h.setPoolName(name + "-" + Integer.toHexString(url.hashCode()));
    h.setJdbcUrl(url);
    h.setUsername(c.dbUser());
    h.setPassword(password);
    h.setMaximumPoolSize(c.poolSize());
    h.setMinimumIdle(1);
    // Start even when the database is not up yet; /health says so until it is.
    h.setInitializationFailTimeout(-1);
    h.setConnectionTimeout(1000);
    h.setValidationTimeout(500);
    h.addDataSourceProperty("connectTimeout", "1000");
    h.addDataSourceProperty("socketTimeout", "10000");
    h.setMetricRegistry(metrics);
    return new HikariDataSource(h);
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
  public Connection read() throws SQLException {
    return pools.get().read().getConnection();
  }

  /** Whether reads and writes share one server. */
  public boolean readsFromWriter() {
    return pools.get().config().readsFromWriter();
  }

  /** Switches to the endpoints of {@code next} if they differ; the old pools drain and close. */
  public void reconfigure(AppConfig next) {
    Pools old = pools.get();
    if (old.config().writeUrl().equals(next.writeUrl()) && old.config().readUrls().equals(next.readUrls())) {
      return;
    }
    LOG.info("db endpoints changed: writes {} -> {}, reads {} -> {}", old.config().writeUrl(), next.writeUrl(),
        old.config().readUrls(), next.readUrls());
    pools.set(open(next));
    close(old);
  }

  private static void close(Pools p) {
    p.write().close();
    if (p.read() != p.write()) {
      p.read().close();
    }
  }

  @Override
  public void close() {
    close(pools.get());
  }
}
