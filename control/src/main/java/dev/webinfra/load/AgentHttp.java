package dev.webinfra.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The agent's HTTP details: whom it trusts, and how a request without an answer is counted. */
final class AgentHttp {
  private AgentHttp() {}

  /** The cause of a request that ended without an answer. */
  static Cause classify(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return Cause.CONNECT;
    }
    if (e instanceof HttpTimeoutException) {
      return Cause.TIMEOUT;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException) {
        return Cause.CONNECT;
      }
    }
    return Cause.OTHER;
  }

  /**
   * Whether the connection was reset or closed before any answer came: the one failure a client may
   * retry an idempotent request after. Not a timeout (the server may still be working on it), a
   * refused connection (the JDK retries those itself) or a TLS failure of trust.
   */
  static boolean closedBeforeAnswer(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException) {
        return false;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException
          || t instanceof java.nio.channels.ClosedChannelException
          || (t instanceof java.net.SocketException && !(t instanceof ConnectException))
          || String.valueOf(t.getMessage()).contains("received no bytes")) {
        return true;
      }
    }
    return false;
  }

  // Java keeps its own trust store: build one from the PEM bundle the client host trusts.
  static SSLContext trusting(Path bundle) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(bundle)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
