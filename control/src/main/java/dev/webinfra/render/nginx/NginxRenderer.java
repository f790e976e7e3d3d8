package dev.webinfra.render.nginx;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.stream.Collectors;

/** Renders nginx's config: static files from disk, the rest proxied to the local app. */
public final class NginxRenderer {
  /**
   * {@code worker_connections}: the connections one worker holds at once, the client's and the
   * app's of a proxied request both counting.
   */
  public static final int WORKER_CONNECTIONS = 1024;

  private NginxRenderer() {}

  /** The server's certificate (with the CA's) for load balancer to server TLS. */
  public static java.nio.file.Path certFile(HostPaths paths) {
    return paths.tls().resolve("server.crt");
  }

  /** The server's private key, 0600. */
  public static java.nio.file.Path keyFile(HostPaths paths) {
    return paths.tls().resolve("server.key");
  }

  /** Where nginx serves its {@code stub_status} counters, on the host's loopback. */
  public static final int STATUS_PORT = 8081;

  /** The URL of nginx's {@code stub_status} on its own host. */
  public static final String STUB_STATUS_URI = "http://127.0.0.1:" + STATUS_PORT + "/stub_status";

  /** The port a server takes load-balanced traffic on: 443 when the LB talks TLS to it. */
  public static int port(Topology t, Host web) {
    return t.tls().enabled() && t.tls().backend() ? 443 : web.settings().web().port();
  }

  /**
   * Whether nginx also answers plain HTTP on port 80, with a redirect to HTTPS: when it is the
   * site's front (no load balancer) and the site is on TLS.
   */
  public static boolean redirectsHttp(Topology t, Host web) {
    return t.hostsWith(Role.LB).isEmpty() && port(t, web) == 443;
  }

  private static String httpRedirect(Topology t, Host host) {
    String listen =
        host.attachments().stream()
            .map(a -> "    listen " + a.address() + ":80;")
            .collect(Collectors.joining("\n"));
    return "\n  # Plain HTTP only sends visitors to HTTPS.\n  server {\n"
        + listen
        + "\n    server_name "
        + String.join(" ", t.siteFqdns())
        + " "
        + host.name()
        + ";\n    return 301 https://$host$request_uri;\n  }\n";
  }

  /** The files for a web host. */
  public static List<RenderedFile> render(Topology t, Host host, HostPaths paths) {
    HostPaths dirs = paths;
    boolean tls = t.tls().enabled() && t.tls().backend();
    int port = port(t, host);
    String listen =
        host.attachments().stream()
            .map(a -> "    listen " + a.address() + ":" + port + (tls ? " ssl" : "") + ";")
            .collect(Collectors.joining("\n"));
    String serverTls =
        tls
            ? "    # Load balancer to server traffic is encrypted too; the certificate is for this"
                + " host's name.\n"
                + "    ssl_certificate "
                + certFile(paths)
                + ";\n"
                + "    ssl_certificate_key "
                + keyFile(paths)
                + ";\n"
                + "    ssl_protocols TLSv1.2 TLSv1.3;\n"
                + "    ssl_session_tickets off;"
            : "    # plain HTTP: this topology does not encrypt load balancer to server traffic";
    String content =
        Template.load("nginx/nginx.conf")
            .render(
                Template.vars(
                    "host", host.name(),
                    "lab", t.lab(),
                    "workers", Integer.toString(host.settings().web().workers()),
                    "worker_connections", Integer.toString(WORKER_CONNECTIONS),
                    "run", dirs.run().toString(),
                    "log", dirs.log().toString(),
                    "www", dirs.www().toString(),
                    "app_port", Integer.toString(host.settings().app().port()),
                    "listen", listen,
                    "server_names", String.join(" ", t.siteFqdns()) + " " + host.name(),
                    "server_tls", serverTls,
                    "status_port", Integer.toString(STATUS_PORT),
                    "http_redirect", redirectsHttp(t, host) ? httpRedirect(t, host) : ""));
    return List.of(RenderedFile.config(dirs.etc().resolve("nginx.conf"), content));
  }
}
