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
import java.time.Clock;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The application server: Jetty on the configured address, the guestbook, its pools and metrics. */
public final class AppServer implements AutoCloseable {
  private final Server server;
  private final Db db;
  private final ServerConnector connector;

  public AppServer(AppConfig config, Clock clock) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ClassLoaderMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.db = new Db(config, metrics);
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("http");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost(config.listenAddress());
    connector.setPort(config.listenPort());
    server.addConnector(connector);
    // Graceful: on stop, in-flight requests finish (up to the stop timeout) while new ones are refused.
    GracefulHandler graceful = new GracefulHandler();
    AppHandler handler = new AppHandler(new Guestbook(db), config.siteName(), hostname(), metrics, clock);
    handler.startWriteProbe();
    graceful.setHandler(handler);
    server.setHandler(graceful);
    server.setStopTimeout(5000);
  }

  /** Starts listening. */
  public void start() throws Exception {
    server.start();
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The database pools, for reconfiguration. */
  public Db db() {
    return db;
  }

  @Override
  public void close() throws Exception {
    server.stop();
    db.close();
  }

  /** The host's name: in the lab, the UTS hostname of the host the app runs in. */
  static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env != null ? env : "unknown";
    }
  }
}
