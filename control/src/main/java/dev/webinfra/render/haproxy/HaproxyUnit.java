package dev.webinfra.render.haproxy;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** HAProxy on every {@code lb} host, in master-worker mode. */
public final class HaproxyUnit implements DaemonUnit {
  @Override
  public String name() {
    return "haproxy";
  }

  @Override
  public List<String> packages() {
    return List.of("haproxy");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.LB);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String cfg = p.etc().resolve("haproxy.cfg").toString();
    DaemonSpec.Builder b =
        DaemonSpec.builder(
                host.name(),
                name(),
                // -W: master-worker, so a reload replaces workers without dropping connections;
                // -S: the master's CLI, which reloads and shows the workers.
                List.of(
                    "haproxy",
                    "-W",
                    "-db",
                    "-S",
                    HaproxyRenderer.masterSocket(p) + ",mode,600",
                    "-f",
                    cfg),
                p.log().resolve("haproxy.log"))
            .files(HaproxyRenderer.render(t, host, p))
            // HAProxy binds the floating IP before keepalived gives it to this host.
            .beforeStart(
                Step.of(
                    "sysctl ip_nonlocal_bind", "sysctl", "-q", "-w", "net.ipv4.ip_nonlocal_bind=1"))
            .beforeStart(Step.of("haproxy config check", "haproxy", "-c", "-q", "-f", cfg))
            .readiness(
                Readiness.http(
                    "http://"
                        + HaproxyRenderer.backAddress(t, host)
                        + ":"
                        + HaproxyRenderer.STATS_PORT
                        + "/stats"))
            // Config check, server states kept, reload through the master CLI, wait for the new
            // worker: see haproxy-reload.sh.tmpl.
            .reload(Reload.command(List.of("sh", HaproxyRenderer.reloadScript(p).toString())));
    if (t.tls().enabled()) {
      b.hostFile(HostFile.of(HaproxyRenderer.sitePem(p), HostFile.Source.SITE_PEM, "rw-------"));
      if (t.tls().backend()) {
        b.hostFile(HostFile.of(p.caFile(), HostFile.Source.CA_CERTIFICATE, "rw-r--r--"));
      }
    }
    return b.build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    List<Flow> out = new ArrayList<>();
    for (Host c : t.hostsWith(Role.CLIENT)) {
      out.add(Flow.tcp(c.name(), host.name(), 80, "HTTP", Flow.Kind.SITE));
      if (t.tls().enabled()) {
        out.add(Flow.tcp(c.name(), host.name(), 443, "HTTPS", Flow.Kind.SITE));
      }
    }
    for (Host m : t.hostsWith(Role.MONITOR)) {
      if (!m.equals(host)) {
        out.add(
            Flow.tcp(
                m.name(),
                host.name(),
                HaproxyRenderer.STATS_PORT,
                "HAProxy metrics",
                Flow.Kind.MONITORING));
      }
    }
    return out;
  }

  /** The site's ports on its front addresses; stats and metrics on its back address only. */
  @Override
  public List<Listener> listeners(Topology t, Host host) {
    Set<Ipv4> front =
        HaproxyRenderer.frontAddresses(t, host).stream()
            .map(a -> Ipv4.parse(a).orElseThrow())
            .collect(Collectors.toSet());
    List<Listener> out = new ArrayList<>();
    out.add(Listener.tcp(name(), 80, front));
    if (t.tls().enabled()) {
      out.add(Listener.tcp(name(), 443, front));
    }
    out.add(
        Listener.tcp(
            name(),
            HaproxyRenderer.STATS_PORT,
            Set.of(Ipv4.parse(HaproxyRenderer.backAddress(t, host)).orElseThrow())));
    return out;
  }

  /** HAProxy serves its exporter where it serves its stats page. */
  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return Agents.scrapedBy(t, host, monitor)
        ? List.of(
            ScrapeTarget.of(
                "haproxy",
                host,
                HaproxyRenderer.backAddress(t, host),
                HaproxyRenderer.STATS_PORT,
                false))
        : List.of();
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(HAProxy)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(
        new GoldenCase("three-servers", "lb1"),
        new GoldenCase("ha-cluster", "lb2"),
        new GoldenCase("secured-monitored", "lb1"));
  }
}
