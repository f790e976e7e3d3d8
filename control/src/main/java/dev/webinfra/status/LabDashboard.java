package dev.webinfra.status;

import dev.webinfra.WebinfraException;
import dev.webinfra.dashboard.DashboardAuth;
import dev.webinfra.dashboard.DashboardData;
import dev.webinfra.dashboard.DashboardServer;
import dev.webinfra.dashboard.DashboardStatus;
import dev.webinfra.dashboard.LiveDiagram;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Secrets;
import dev.webinfra.tls.IssuedCertificate;
import dev.webinfra.tls.LabCa;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A lab's dashboard, served by its controller over HTTPS with a certificate of the lab CA: the
 * lab's status (cached for a moment, since reading it probes every daemon), its design drawn live,
 * and Prometheus's data, fetched inside the monitoring host.
 *
 * <p>It is the operator's alone: it listens on the machine's loopback, which no lab host (each in
 * its own network namespace, with its own loopback) can reach, and it answers only the bearer of
 * the lab's token, a secret of the lab kept 0600 beside the others.
 */
public final class LabDashboard implements DashboardData, AutoCloseable {
  /** The port it asks for first, on the machine's loopback; another lab's holding it: any port. */
  public static final int PORT = 8443;

  /** Where it listens: the machine's loopback, where only the operator is. */
  public static final String ADDRESS = "127.0.0.1";

  /** The name of the lab's secret that opens the dashboard. */
  public static final String TOKEN_SECRET = "dashboard-token";

  private static final Duration STATUS_TTL = Duration.ofSeconds(2);
  private final Topology topology;
  private final SiteLayout layout;
  private final Supplier<LabStatus> reader;
  private final PrometheusApi prometheus;
  private final Clock clock;
  private DashboardServer server;
  private DashboardStatus cached;
  private Instant cachedAt = Instant.MIN;

  public LabDashboard(
      Topology topology,
      SiteLayout layout,
      Supplier<LabStatus> reader,
      PrometheusApi prometheus,
      Clock clock) {
    this.topology = topology;
    this.layout = layout;
    this.reader = reader;
    this.prometheus = prometheus;
    this.clock = clock;
  }

  /** The dashboard's URL, while the controller that serves it runs. */
  public static Optional<String> url(SiteLayout layout) {
    Path f = urlFile(layout);
    if (!layout.controllerRunning() || !Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(f).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The URL that opens the dashboard in a browser: its URL with the lab's token, which the page
   * exchanges for a cookie. Only {@code webinfra dashboard} prints it; status shows the URL alone.
   */
  public static Optional<String> urlWithToken(SiteLayout layout) {
    return url(layout)
        .flatMap(
            u ->
                new Secrets(layout.secretsDir())
                    .existing(TOKEN_SECRET)
                    .map(t -> u + "?token=" + t));
  }

  /**
   * A page, 0600 in the lab's secrets, that leads a browser to {@code urlWithToken}: a browser
   * opened on it has the token on no command line, where any user of the machine could read it.
   */
  public static Path launcher(SiteLayout layout, String urlWithToken) {
    Path f = layout.secretsDir().resolve("dashboard-open.html");
    String html =
        "<!DOCTYPE html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
            + urlWithToken
            + "\"><title>webinfra dashboard</title>\n";
    try {
      Files.deleteIfExists(f);
      Files.createFile(
          f,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(f, html);
      return f;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  private static Path urlFile(SiteLayout layout) {
    return layout.dashboardUrl();
  }

  // The port this lab served on before, so the URL stays the same across the controller's restarts.
  private static Path portFile(SiteLayout layout) {
    return layout.labDir().resolve("dashboard.port");
  }

  /** Starts serving, records the URL for {@code status} and {@code dashboard}, and returns it. */
  public String start() {
    LabCa ca = LabCa.loadOrCreate(layout.caDir(), topology.lab(), clock);
    IssuedCertificate cert =
        ca.issueServer(List.of("localhost"), List.of(ADDRESS), Duration.ofDays(30));
    DashboardAuth auth =
        new DashboardAuth(
            new Secrets(layout.secretsDir()).password(TOKEN_SECRET), "webinfra-" + topology.lab());
    int wanted = previousPort().orElse(PORT);
    try {
      server = serve(cert, auth, wanted);
    } catch (WebinfraException e) {
      // Another lab's dashboard (or anything else) holds the port: any free one will do.
      server = serve(cert, auth, 0);
    }
    try {
      Files.writeString(portFile(layout), server.port() + "\n");
      Files.writeString(urlFile(layout), server.url() + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + topology.lab() + ": cannot record the dashboard's URL: " + e.getMessage(), e);
    }
    return server.url().toString();
  }

  private DashboardServer serve(IssuedCertificate cert, DashboardAuth auth, int port) {
    return DashboardServer.start(
        ADDRESS,
        port,
        cert.certificatePem() + cert.caCertificatePem(),
        cert.privateKeyPem(),
        this,
        auth,
        clock);
  }

  private Optional<Integer> previousPort() {
    try {
      return Optional.of(Integer.parseInt(Files.readString(portFile(layout)).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized DashboardStatus status() {
    Instant now = clock.instant();
    if (cached == null || now.isAfter(cachedAt.plus(STATUS_TTL))) {
      cached = convert(reader.get(), new LabState(layout));
      cachedAt = now;
    }
    return cached;
  }

  @Override
  public String svg() {
    return LiveDiagram.svg(topology, status());
  }

  @Override
  public String queryRange(String query, Instant start, Instant end, int stepSeconds) {
    return prometheus
        .queryRange(query, start, end, stepSeconds)
        .orElse("{\"status\":\"error\",\"error\":\"Prometheus does not answer\"}");
  }

  /** The lab's status as the dashboard draws it. Pure, but for the stopped-hosts record. */
  public static DashboardStatus convert(LabStatus s, LabState state) {
    List<DashboardStatus.HostState> hosts =
        s.hosts().stream()
            .map(
                h -> {
                  Map<String, String> daemons = new LinkedHashMap<>();
                  h.components()
                      .forEach(
                          c ->
                              daemons.put(
                                  c.name(),
                                  switch (c.state()) {
                                    case "running" -> "up";
                                    case "degraded" -> "starting";
                                    default -> h.up() ? "down" : "stopped";
                                  }));
                  String hostState = h.up() ? "up" : state.isStopped(h.name()) ? "stopped" : "down";
                  return new DashboardStatus.HostState(h.name(), hostState, daemons);
                })
            .toList();
    List<DashboardStatus.ReplicaLag> replicas =
        s.database() == null
            ? List.of()
            : s.database().replicas().stream()
                .map(
                    r ->
                        new DashboardStatus.ReplicaLag(
                            r.host(),
                            // The source the replica itself names, not the topology's primary.
                            r.source(),
                            r.lag_seconds() == null ? null : r.lag_seconds().doubleValue(),
                            r.io_thread(),
                            r.sql_thread(),
                            r.state()))
                .toList();
    List<DashboardStatus.Alert> alerts =
        s.alerts() == null
            ? List.of()
            : s.alerts().stream()
                .map(
                    a ->
                        new DashboardStatus.Alert(
                            a.name(), a.instance(), a.severity(), a.summary(), a.since()))
                .toList();
    List<DashboardStatus.Incident> incidents =
        s.incidents() == null
            ? List.of()
            : s.incidents().stream()
                .map(
                    i ->
                        new DashboardStatus.Incident(
                            i.title(), i.host(), i.incident(), i.alerts(), i.since(), i.resolved()))
                .toList();
    return new DashboardStatus(
        s.lab(),
        s.site().url(),
        hosts,
        s.vip() == null ? null : s.vip().holder(),
        s.database() == null ? List.of() : s.database().primaries(),
        replicas,
        alerts,
        incidents);
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        Files.deleteIfExists(urlFile(layout));
      } catch (IOException e) {
        // The URL file outlives us only until the next start; status checks the controller too.
      }
      server.close();
    }
  }
}
