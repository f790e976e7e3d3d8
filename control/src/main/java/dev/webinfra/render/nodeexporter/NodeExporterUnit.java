package dev.webinfra.render.nodeexporter;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Reload;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The node exporter on every host with a monitoring agent. Only the collectors that mean something
 * in a lab host: the network ones read the host's own namespace; CPU, memory, disk and file
 * descriptors are the machine's, shared by every host (see docs/monitoring.md).
 */
public final class NodeExporterUnit implements DaemonUnit {
  /** The node exporter's port. */
  static final int PORT = 9100;

  /** The collectors, after {@code --collector.disable-defaults}. */
  public static final List<String> COLLECTORS =
      List.of(
          "cpu",
          "meminfo",
          "loadavg",
          "filesystem",
          "filefd",
          "netdev",
          "netstat",
          "sockstat",
          "time",
          "textfile");

  @Override
  public String name() {
    return "node-exporter";
  }

  @Override
  public List<String> packages() {
    return List.of("prometheus-node-exporter");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return Agents.runsAgents(t, host);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    List<Ipv4> listen = Agents.listenAddresses(t, host);
    List<String> cmd = new ArrayList<>(List.of("prometheus-node-exporter"));
    listen.forEach(a -> cmd.add("--web.listen-address=" + a + ":" + PORT));
    cmd.add("--collector.disable-defaults");
    COLLECTORS.forEach(c -> cmd.add("--collector." + c));
    cmd.add("--collector.textfile.directory=" + paths.textfiles());
    return DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("node-exporter.log"))
        .user(Agents.USER)
        // keepalived's notify script (root) writes here; the exporter only reads.
        .dir(paths.textfiles(), null)
        .readiness(Agents.readiness("http://" + listen.get(0) + ":" + PORT + "/metrics"))
        .reload(Reload.restart())
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    return Agents.scrapes(t, host, PORT, "monitoring");
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return Agents.listener(name(), t, host, PORT);
  }

  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return Agents.target("node", t, host, monitor, PORT);
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "lb1"), new GoldenCase("ha-cluster", "web1"));
  }
}
