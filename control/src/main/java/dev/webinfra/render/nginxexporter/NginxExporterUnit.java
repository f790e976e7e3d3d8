package dev.webinfra.render.nginxexporter;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;

/**
 * nginx-prometheus-exporter on every web host with a monitoring agent, reading nginx's {@code
 * stub_status} on the host's loopback ({@link NginxRenderer#STUB_STATUS_URI}). It has no config
 * file: its flags are its config.
 */
public final class NginxExporterUnit implements DaemonUnit {
  /** The nginx exporter's port (its Debian default). */
  static final int PORT = 9113;

  @Override
  public String name() {
    return "nginx-exporter";
  }

  @Override
  public List<String> packages() {
    return List.of("prometheus-nginx-exporter");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.WEB) && Agents.runsAgents(t, host);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    // This exporter takes one listen address; a host reaches its monitors on one network in
    // every preset, and the first is the one the scrape config uses.
    String listen = Agents.listenAddresses(t, host).get(0) + ":" + PORT;
    List<String> cmd =
        List.of(
            "prometheus-nginx-exporter",
            "-nginx.scrape-uri=" + NginxRenderer.STUB_STATUS_URI,
            "-nginx.retries=30",
            "-nginx.retry-interval=1s",
            "-web.listen-address=" + listen);
    return DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("nginx-exporter.log"))
        .user(Agents.USER)
        .after("nginx")
        .readiness(Agents.readiness("http://" + listen + "/metrics"))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    return host.has(Role.WEB) ? Agents.scrapes(t, host, PORT, "nginx metrics") : List.of();
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return Agents.listener(name(), t, host, PORT);
  }

  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return Agents.target("nginx", t, host, monitor, PORT);
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "web2"));
  }
}
