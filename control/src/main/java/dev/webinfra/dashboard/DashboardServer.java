package dev.webinfra.dashboard;

import dev.webinfra.WebinfraException;
import dev.webinfra.x509.Pem;
import java.net.URI;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The dashboard over HTTPS: Jetty 12 with a certificate the lab CA issued (PEM certificate chain
 * and key), serving the page, its script, ECharts from its WebJar, and the JSON the page polls, to
 * the holders of the lab's token only. It writes no access log, so the token (in the URL of a
 * browser's first request) is never written down.
 */
public final class DashboardServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private DashboardServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving on {@code host:port} (port 0: any free port) with the certificate chain {@code
   * certPem} (the server's first) and its key {@code keyPem}, to the bearers of {@code auth}'s
   * token only.
   */
  public static DashboardServer start(
      String host,
      int port,
      String certPem,
      String keyPem,
      DashboardData data,
      DashboardAuth auth,
      Clock clock) {
    char[] password = "webinfra-dashboard".toCharArray();
    KeyStore keyStore;
    try {
      List<X509Certificate> chain = Pem.certificates(certPem);
      PrivateKey key = Pem.privateKey(keyPem);
      keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("dashboard", key, password, chain.toArray(X509Certificate[]::new));
    } catch (Pem.Invalid e) {
      throw WebinfraException.invalidInput("dashboard: certificate or key: " + e.getMessage(), e);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw WebinfraException.unexpectedState("dashboard: keystore: " + e.getMessage(), e);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(new String(password));
    ssl.setIncludeProtocols("TLSv1.2", "TLSv1.3");
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // The browser may reach it by address; the certificate carries the address as well.
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("dashboard");
    Server server = new Server(threads);
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new DashboardHandler(data, auth, clock));
    try {
      server.start();
    } catch (Exception e) {
      throw WebinfraException.unexpectedState(
          "dashboard: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new DashboardServer(server, connector);
  }

  /** The port it listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Its URL: {@code https://HOST:PORT/}. */
  public URI url() {
    return URI.create("https://" + connector.getHost() + ":" + port() + "/");
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw WebinfraException.unexpectedState("dashboard: cannot stop: " + e.getMessage(), e);
    }
  }
}
