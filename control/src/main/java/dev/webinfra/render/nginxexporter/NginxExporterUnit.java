package dev.webinfra.render.nginxexporter;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;

/**
 * nginx-prometheus-exporter on every web host with a monitoring agent, reading nginx's {@code
 * stub_status} on the host's loopback (see {@link #STUB_STATUS_BLOCK}). It has no config file: its
 * flags are its config.
 */
public final class NginxExporterUnit implements DaemonUnit {
  /** Where nginx serves {@code stub_status}: loopback, so nothing outside the host sees it. */
  public static final String STUB_STATUS_URI = "http://127.0.0.1:8081/stub_status";

  /** The server block nginx's config needs for the exporter. */
  public static final String STUB_STATUS_BLOCK =
      """
        # Connection counters for the nginx exporter, on loopback only.
        server {
          listen 127.0.0.1:8081;
          access_log off;
          location = /stub_status {
            stub_status;
          }
          location / {
            return 404;
          }
        }
      """;

  @Override
  public String name() {
    return "nginx-exporter";
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.WEB) && Agents.runsAgents(t, host);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    // This exporter takes one listen address; a host reaches its monitors on one network in
    // every preset, and the first is the one the scrape config uses.
    String listen = Agents.listenAddresses(t, host).get(0) + ":" + Agents.NGINX_EXPORTER_PORT;
    List<String> cmd =
        List.of(
            "setpriv",
            "--reuid=" + Agents.USER,
            "--regid=" + Agents.USER,
            "--init-groups",
            "--",
            "prometheus-nginx-exporter",
            "-nginx.scrape-uri=" + STUB_STATUS_URI,
            "-nginx.retries=30",
            "-nginx.retry-interval=1s",
            "-web.listen-address=" + listen);
    return DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("nginx-exporter.log"))
        .readiness(
            List.of(
                "curl",
                "-sf",
                "-o",
                "/dev/null",
                "--max-time",
                "1",
                "http://" + listen + "/metrics"))
        .build();
  }
}
