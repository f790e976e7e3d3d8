package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.dashboard.DashboardData;
import dev.webinfra.dashboard.DashboardServer;
import dev.webinfra.dashboard.DashboardStatus;
import dev.webinfra.dashboard.LiveDiagram;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.tls.IssuedCertificate;
import dev.webinfra.tls.LabCa;
import dev.webinfra.topology.Network;
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
 */
public final class LabDashboard implements DashboardData, AutoCloseable {
  /** The port, on the machine's own address on the lab's first network that has one. */
  public static final int PORT = 8443;

  private static final Duration STATUS_TTL = Duration.ofSeconds(2);
  private final Topology topology;
  private final LabLayout layout;
  private final Supplier<LabStatus> reader;
  private final PrometheusApi prometheus;
  private final Clock clock;
  private DashboardServer server;
  private DashboardStatus cached;
  private Instant cachedAt = Instant.MIN;

  LabDashboard(
      Topology topology,
      LabLayout layout,
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
  public static Optional<String> url(LabLayout layout) {
    Path f = urlFile(layout);
    if (layout.controllerPid().isEmpty() || !Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(f).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Path urlFile(LabLayout layout) {
    return layout.labDir().resolve("dashboard.url");
  }

  /** Where it listens: the machine's address on the lab's networks, so a browser here opens it. */
  static String address(Topology t) {
    return t.networks().stream()
        .map(Network::machineAddress)
        .flatMap(Optional::stream)
        .map(Object::toString)
        .findFirst()
        .orElse("127.0.0.1");
  }

  /** Starts serving and records the URL for {@code status} and {@code dashboard}. */
  public void start() {
    String address = address(topology);
    LabCa ca = LabCa.loadOrCreate(layout.secretsDir().resolve("ca"), topology.lab(), clock);
    IssuedCertificate cert = ca.issueServer(List.of(), List.of(address), Duration.ofDays(30));
    int port = address.equals("127.0.0.1") ? 0 : PORT;
    server =
        DashboardServer.start(
            address,
            port,
            cert.certificatePem() + cert.caCertificatePem(),
            cert.privateKeyPem(),
            this,
            clock);
    try {
      Files.writeString(urlFile(layout), server.url() + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + topology.lab() + ": cannot record the dashboard's URL: " + e.getMessage(), e);
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
  static DashboardStatus convert(LabStatus s, LabState state) {
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
    return new DashboardStatus(
        s.lab(),
        s.site().url(),
        hosts,
        s.vip() == null ? null : s.vip().holder(),
        s.database() == null ? List.of() : s.database().primaries(),
        replicas,
        alerts);
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
