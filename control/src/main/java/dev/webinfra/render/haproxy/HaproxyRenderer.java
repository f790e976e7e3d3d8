package dev.webinfra.render.haproxy;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Settings;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders HAProxy's config: round robin over the active servers with health checks on /health,
 * backup servers taking traffic only when every active one is down, and stats on the private side.
 */
public final class HaproxyRenderer {
  /** The port of the stats page and the Prometheus exporter. */
  public static final int STATS_PORT = 8404;

  /** The stats frontend's {@code monitor-uri}: 200 while haproxy's event loop runs. */
  public static final String ALIVE_PATH = "/alive";

  /** {@code maxconn} in {@code global}: the connections one HAProxy process takes at once. */
  public static final int MAXCONN = 4096;

  /**
   * {@code timeout connect}: also a health check's connect timeout (HAProxy uses the smaller of it
   * and {@code inter}), so a server that answers nothing fails a check after this long.
   */
  public static final int CONNECT_TIMEOUT_MS = 500;

  /**
   * {@code retries}: connection attempts on other servers (redispatch) after a first one fails,
   * each waiting up to {@link #CONNECT_TIMEOUT_MS}. They cover a request while a dead server is
   * still in rotation, for as long as they last.
   */
  public static final int RETRIES = 6;

  /** {@code timeout check}: how long a connected health check waits for the answer. */
  public static final int CHECK_TIMEOUT_MS = 1000;

  // Mozilla's intermediate profile: TLS 1.2 and 1.3 only, ECDHE key exchange, AEAD ciphers, no
  // tickets.
  private static final String GLOBAL_TLS =
      String.join(
          "\n",
          "  ssl-default-bind-ciphers"
              + " ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
              + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
          "  ssl-default-bind-ciphersuites"
              + " TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
          "  ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets",
          "  ssl-default-server-options ssl-min-ver TLSv1.2 no-tls-tickets");

  // Plain HTTP only redirects; HTTPS answers carry HSTS (two years).
  private static final String FRONTEND_TLS =
      String.join(
          "\n",
          "  http-request redirect scheme https code 301 unless { ssl_fc }",
          "  http-response set-header Strict-Transport-Security \"max-age=63072000\" if { ssl_fc"
              + " }");

  /** The site's certificate, chain and key for HAProxy, on a load balancer. */
  public static java.nio.file.Path sitePem(HostPaths paths) {
    return paths.tls().resolve("site.pem");
  }

  private HaproxyRenderer() {}

  /** The files for a load balancer. */
  public static List<RenderedFile> render(Topology t, Host lb, HostPaths paths) {
    HostPaths d = paths;
    Settings.Lb s = lb.settings().lb();
    boolean tls = t.tls().enabled();
    boolean backendTls = tls && t.tls().backend();
    List<String> binds = new ArrayList<>();
    frontAddresses(t, lb).forEach(a -> binds.add("  bind " + a + ":80" + floating(t, a)));
    if (tls) {
      frontAddresses(t, lb)
          .forEach(
              a ->
                  binds.add(
                      "  bind "
                          + a
                          + ":443 ssl crt "
                          + sitePem(paths)
                          + " alpn h2,http/1.1"
                          + floating(t, a)));
    }
    List<Host> servers = t.hostsWith(Role.WEB);
    String health =
        s.healthChecks()
            ? "  option httpchk GET "
                + servers.stream()
                    .filter(w -> w.has(Role.APP))
                    .findFirst()
                    .map(w -> w.settings().app().health())
                    .orElse("/health")
                + "\n  http-check expect status 200\n"
                + "  default-server inter "
                + s.checkInterMs()
                + "ms fastinter "
                + fastInterMs(s)
                + "ms fall "
                + s.checkFall()
                + " rise "
                + s.checkRise()
            : "  # health checks are off in this topology";
    String serverLines =
        servers.stream()
            .map(
                w ->
                    "  server "
                        + w.name()
                        + " "
                        + w.addressFor(lb)
                        + ":"
                        + (backendTls ? 443 : w.settings().web().port())
                        // Backends over TLS too, verified against the lab CA and the server's own
                        // name.
                        + (backendTls
                            ? " ssl verify required ca-file "
                                + paths.caFile()
                                + " verifyhost "
                                + w.name()
                            : "")
                        + (s.healthChecks() ? " check" + (backendTls ? " check-ssl" : "") : "")
                        + (w.settings().web().backup() ? " backup" : ""))
            .collect(Collectors.joining("\n"));
    String content =
        Template.load("haproxy/haproxy.cfg")
            .render(
                Template.vars(
                    "global_tls",
                    tls ? GLOBAL_TLS : "  # no TLS in this topology",
                    "frontend_tls",
                    tls ? FRONTEND_TLS : "  # no TLS in this topology: plain HTTP",
                    "host",
                    lb.name(),
                    "lab",
                    t.lab(),
                    "run",
                    d.run().toString(),
                    "binds",
                    String.join("\n", binds),
                    "health",
                    health,
                    "servers",
                    serverLines,
                    "stats_bind",
                    backAddress(t, lb) + ":" + STATS_PORT,
                    "maxconn",
                    Integer.toString(MAXCONN),
                    "timeout_connect",
                    duration(CONNECT_TIMEOUT_MS),
                    "timeout_check",
                    duration(CHECK_TIMEOUT_MS),
                    "retries",
                    Integer.toString(RETRIES)));
    String reload =
        Template.load("haproxy/haproxy-reload.sh")
            .render(
                Template.vars(
                    "host",
                    lb.name(),
                    "lab",
                    t.lab(),
                    "run",
                    d.run().toString(),
                    "cfg",
                    d.etc().resolve("haproxy.cfg").toString()));
    return List.of(
        RenderedFile.config(d.etc().resolve("haproxy.cfg"), content),
        new RenderedFile(reloadScript(d), reload, "rwxr-xr-x"));
  }

  /**
   * {@code fastinter}: the check interval while a server is changing state (after a first failed
   * check), half of {@code inter} and at least 100 ms.
   */
  public static int fastInterMs(Settings.Lb s) {
    return Math.max(100, s.checkInterMs() / 2);
  }

  // HAProxy's time format: whole seconds as "1s", anything else in milliseconds.
  private static String duration(int ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** The script that reloads HAProxy hitlessly through its master CLI. */
  public static java.nio.file.Path reloadScript(HostPaths paths) {
    return paths.etc().resolve("haproxy-reload.sh");
  }

  /** The master CLI's socket (haproxy -S), through which reloads go. */
  public static java.nio.file.Path masterSocket(HostPaths paths) {
    return paths.run().resolve("haproxy-master.sock");
  }

  /** The stats socket at admin level: the runtime API (drain, add server, show servers state). */
  public static java.nio.file.Path adminSocket(HostPaths paths) {
    return paths.run().resolve("haproxy.sock");
  }

  /**
   * Where clients reach this LB: the floating IP and its own address on the VIP's network (else its
   * first).
   */
  public static List<String> frontAddresses(Topology t, Host lb) {
    List<String> out = new ArrayList<>();
    t.vip()
        .ifPresentOrElse(
            v -> {
              out.add(v.address().toString());
              lb.address(v.network()).ifPresent(a -> out.add(a.toString()));
            },
            () ->
                out.add(
                    t.hostsWith(Role.CLIENT).stream()
                        .findFirst()
                        .map(c -> lb.addressFor(c))
                        .orElse(lb.primaryAddress())
                        .toString()));
    return out;
  }

  /**
   * The floating IP's sockets are transparent (IP_TRANSPARENT): once keepalived has taken the IP
   * away, they can still send, so the VIP guard can reset the connections a hung haproxy holds
   * (docs/vip.md). A normal socket cannot send from an address its host no longer has: its clients
   * would wait out their timeouts instead of retrying at the new holder.
   */
  private static String floating(Topology t, String address) {
    return t.vip().filter(v -> v.address().toString().equals(address)).isPresent()
        ? " transparent"
        : "";
  }

  /** The LB's address on the servers' side, where its stats are served. */
  public static String backAddress(Topology t, Host lb) {
    return t.hostsWith(Role.WEB).stream()
        .findFirst()
        .map(lb::addressFor)
        .orElse(lb.primaryAddress())
        .toString();
  }
}
