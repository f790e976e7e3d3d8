package dev.webinfra.render.prometheus;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Prometheus on every monitoring host: listens on the host's own address, keeps a short history in
 * the host's data directory, and re-reads its config and rules on SIGHUP. It scrapes what the units
 * it is given declare ({@link DaemonUnit#scrapeTargets}), itself among them.
 */
public final class PrometheusUnit implements DaemonUnit {
  /** How long samples are kept: a lab's life, not a quarter's. */
  public static final String RETENTION = "2h";

  // The registry sits above the renderers, so it hands itself in; a supplier, since this unit is
  // one of its entries and is built while the registry is.
  private final Supplier<List<DaemonUnit>> units;

  /** Prometheus scraping the daemons of {@code units}, the registry when the lab runs. */
  public PrometheusUnit(Supplier<List<DaemonUnit>> units) {
    this.units = Objects.requireNonNull(units, "units");
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public List<String> packages() {
    return List.of("prometheus");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.MONITOR);
  }

  /** Where Prometheus's HTTP API answers on {@code monitor}: {@code http://ADDRESS:9090}. */
  public static String url(Host monitor) {
    return "http://" + monitor.primaryAddress() + ":" + Agents.PROMETHEUS_PORT;
  }

  /** Its time-series database. */
  public static Path storage(HostPaths paths) {
    return paths.data().resolve("prometheus");
  }

  /** What {@code monitor} scrapes, by job then host. */
  public List<ScrapeTarget> targets(Topology t, Host monitor) {
    return ScrapeTargets.of(t, monitor, units.get());
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    List<ScrapeTarget> targets = targets(t, host);
    Path config = PrometheusRenderer.configFile(paths);
    List<String> cmd =
        List.of(
            "prometheus",
            "--config.file=" + config,
            "--web.listen-address=" + host.primaryAddress() + ":" + Agents.PROMETHEUS_PORT,
            "--storage.tsdb.path=" + storage(paths),
            "--storage.tsdb.retention.time=" + RETENTION,
            // The series of a stopped host go stale within seconds, not the default 5 minutes.
            "--query.lookback-delta=30s");
    DaemonSpec.Builder b =
        DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("prometheus.log"))
            .user(Agents.USER)
            .files(PrometheusRenderer.render(t, host, paths, targets))
            .dir(storage(paths), Agents.USER)
            .writes(storage(paths))
            // A config or rule error is reported before the running Prometheus is touched.
            .beforeStart(
                Step.of(
                    "check the Prometheus config and alert rules",
                    "promtool",
                    "check",
                    "config",
                    config.toString()))
            .after("alertmanager")
            .readiness(Readiness.http(url(host) + "/-/ready"))
            .reload(Reload.signal("HUP"));
    if (targets.stream().anyMatch(ScrapeTarget::tls)) {
      b.hostFile(HostFile.of(paths.caFile(), HostFile.Source.CA_CERTIFICATE, "rw-r--r--"));
    }
    return b.build();
  }

  /** Prometheus scrapes itself, on the address it listens on. */
  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return host.equals(monitor)
        ? List.of(
            ScrapeTarget.of(
                "prometheus",
                host,
                host.primaryAddress().toString(),
                Agents.PROMETHEUS_PORT,
                false))
        : List.of();
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(Prometheus)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "mon"), new GoldenCase("secured-monitored", "mon"));
  }

  /** Prometheus's API and UI, on the host's first address. */
  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(
        Listener.tcp(name(), Agents.PROMETHEUS_PORT, java.util.Set.of(host.primaryAddress())));
  }
}
