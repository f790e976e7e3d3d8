package dev.webinfra.render.alertmanager;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Alertmanager on every monitoring host, fed by the Prometheus beside it. It listens on the host's
 * own address, runs alone (no gossip cluster: each monitoring host pages on its own), and re-reads
 * its config on SIGHUP.
 */
public final class AlertmanagerUnit implements DaemonUnit {
  /** Alertmanager's API port (its default). */
  public static final int PORT = 9093;

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public List<String> packages() {
    return List.of("prometheus-alertmanager");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.MONITOR);
  }

  /** Where Alertmanager's API answers on {@code monitor}: {@code http://ADDRESS:9093}. */
  public static String url(Host monitor) {
    return "http://" + monitor.primaryAddress() + ":" + PORT;
  }

  /** Its silences and notification log. */
  public static Path storage(HostPaths paths) {
    return paths.data().resolve("alertmanager");
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    Path config = AlertmanagerRenderer.configFile(paths);
    List<String> cmd =
        List.of(
            "prometheus-alertmanager",
            "--config.file=" + config,
            "--storage.path=" + storage(paths),
            "--web.listen-address=" + host.primaryAddress() + ":" + PORT,
            // Empty: no gossip listener on 9094 of every address.
            "--cluster.listen-address=",
            "--data.retention=2h");
    DaemonSpec.Builder b =
        DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("alertmanager.log"))
            .user(Agents.USER)
            .files(AlertmanagerRenderer.render(t, host, paths))
            .dir(storage(paths), Agents.USER)
            .writes(storage(paths))
            // A config error is reported before the running Alertmanager is touched.
            .beforeStart(
                Step.of(
                    "check the Alertmanager config", "amtool", "check-config", config.toString()))
            .readiness(Readiness.http(url(host) + "/-/ready"))
            .reload(Reload.signal("HUP"));
    if (Webhook.url(t, host).isPresent()) {
      b.hostFile(
          HostFile.secret(AlertmanagerRenderer.tokenFile(paths), Webhook.SECRET, Agents.USER));
    }
    return b.build();
  }

  /** Alertmanager's API, on the host's first address, where the Prometheus beside it posts. */
  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(Listener.tcp(name(), PORT, Set.of(host.primaryAddress())));
  }

  /**
   * Alertmanager posts its notifications to the controller's receiver on the machine, which drops
   * every connection from the lab that no unit declares.
   */
  @Override
  public List<Flow> toMachine(Topology t, Host host) {
    // On a site of servers the receiver is on the host itself.
    if (t.onServers() || Webhook.url(t, host).isEmpty()) {
      return List.of();
    }
    return List.of(
        Flow.tcp(
            host.name(),
            Flow.MACHINE,
            Webhook.PORT,
            "Alertmanager's notifications to the controller",
            Flow.Kind.MONITORING));
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "mon"));
  }
}
