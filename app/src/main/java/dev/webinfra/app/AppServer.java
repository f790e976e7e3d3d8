package dev.webinfra.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.InstantSource;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The application server: Jetty on the configured address, the guestbook, its pools and metrics.
 */
public final class AppServer implements AutoCloseable {
  /** How long a stop waits for requests in flight before it cuts them. */
  static final long STOP_TIMEOUT_MS = 5000;

  private final Server server;
  private final Db db;
  private final ServerConnector connector;
  private final String host;

  public AppServer(AppConfig config, InstantSource clock) {
    this(config, clock, hostname());
  }

  AppServer(AppConfig config, InstantSource clock, String host) {
    this.host = host;
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ClassLoaderMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.db = new Db(config, metrics, clock);
    Guestbook guestbook = new Guestbook(db);

    // Small on purpose: the app runs in 128 MB next to nginx, and a pool of 4 connections bounds
    // real concurrency anyway.
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("http");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.listenAddress());
    connector.setPort(config.listenPort());
    server.addConnector(connector);
    server.setErrorHandler(new AppErrorHandler(host));

    HealthCheck health = new HealthCheck(guestbook::pingRead, guestbook::pingWrite, host, clock);
    // Graceful: on stop, requests in flight finish (up to the stop timeout) while new ones get 503.
    server.setHandler(
        new GracefulHandler(new AppHandler(guestbook, health, config.siteName(), host, metrics)));
    server.setStopTimeout(STOP_TIMEOUT_MS);
  }

  /** Starts listening; on failure the pools are closed and the cause is thrown. */
  public void start() throws Exception {
    try {
      server.start();
    } catch (Exception e) {
      try {
        close();
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The name this server stamps on its responses. */
  public String host() {
    return host;
  }

  /** The database pools, for reconfiguration. */
  public Db db() {
    return db;
  }

  /** Stops accepting, lets requests in flight finish, then closes the pools. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("app: interrupted while stopping", e);
    } catch (Exception e) {
      throw new IllegalStateException("app: stop failed: " + e.getMessage(), e);
    } finally {
      db.close();
    }
  }

  /** The host's name: in the lab, the UTS hostname of the host the app runs in. */
  static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // The UTS name is set but not resolvable (no /etc/hosts entry): the environment still has it.
      String env = System.getenv("HOSTNAME");
      return env != null ? env : "unknown";
    }
  }
}
