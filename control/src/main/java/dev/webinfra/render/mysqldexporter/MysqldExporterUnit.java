package dev.webinfra.render.mysqldexporter;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.daemon.Listener;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.prometheus.Agents;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * mysqld_exporter on every database host with a monitoring agent: global status (Galera's {@code
 * wsrep_*}), global variables and replica status. It starts after MariaDB and reports {@code
 * mysql_up 0} while MariaDB is away, so it does not wait for it.
 */
public final class MysqldExporterUnit implements DaemonUnit {
  /** The mysqld exporter's port (its Debian default). */
  static final int PORT = 9104;

  @Override
  public String name() {
    return "mysqld-exporter";
  }

  @Override
  public List<String> packages() {
    return List.of("prometheus-mysqld-exporter");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.DB) && Agents.runsAgents(t, host);
  }

  @Override
  public List<String> databaseAccounts(Topology t) {
    return t.hosts().stream().anyMatch(h -> runsOn(t, h))
        ? MysqldExporterRenderer.GRANTS
        : List.of();
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths paths) {
    List<Ipv4> listen = Agents.listenAddresses(t, host);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "prometheus-mysqld-exporter",
                "--config.my-cnf=" + MysqldExporterRenderer.clientConfig(paths)));
    listen.forEach(a -> cmd.add("--web.listen-address=" + a + ":" + PORT));
    cmd.addAll(
        List.of(
            "--collect.global_status",
            "--collect.global_variables",
            "--collect.slave_status",
            // InnoDB compression and query-response-time plugins are not loaded here.
            "--no-collect.info_schema.innodb_cmp",
            "--no-collect.info_schema.innodb_cmpmem",
            "--no-collect.info_schema.query_response_time"));
    return DaemonSpec.builder(host.name(), name(), cmd, paths.log().resolve("mysqld-exporter.log"))
        .user(Agents.USER)
        .hostFile(
            HostFile.secretTemplate(
                MysqldExporterRenderer.clientConfig(paths),
                MysqldExporterRenderer.clientConfigTemplate(t, host, paths),
                Agents.USER))
        .after("mariadb")
        .readiness(Agents.readiness("http://" + listen.get(0) + ":" + PORT + "/metrics"))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    return host.has(Role.DB) ? Agents.scrapes(t, host, PORT, "MariaDB metrics") : List.of();
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return Agents.listener(name(), t, host, PORT);
  }

  @Override
  public List<ScrapeTarget> scrapeTargets(Topology t, Host host, Host monitor) {
    return Agents.target("mysqld", t, host, monitor, PORT);
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "web3"));
  }
}
