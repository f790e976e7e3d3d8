package dev.webinfra.plan;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.render.alertmanager.AlertmanagerUnit;
import dev.webinfra.render.app.AppUnit;
import dev.webinfra.render.dnsmasq.DnsmasqUnit;
import dev.webinfra.render.garbd.GarbdUnit;
import dev.webinfra.render.haproxy.HaproxyUnit;
import dev.webinfra.render.keepalived.KeepalivedUnit;
import dev.webinfra.render.keepalived.VipGuardUnit;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.render.mysqldexporter.MysqldExporterUnit;
import dev.webinfra.render.nginx.NginxUnit;
import dev.webinfra.render.nginxexporter.NginxExporterUnit;
import dev.webinfra.render.nodeexporter.NodeExporterUnit;
import dev.webinfra.render.prometheus.PrometheusUnit;
import dev.webinfra.render.witness.WitnessUnit;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Optional;

/** Every daemon webinfra runs, registered once each, in start order. */
public final class Units {
  /** The units, in the order they start. */
  public static final List<DaemonUnit> ALL =
      List.of(
          new DnsmasqUnit(),
          new MariadbUnit(),
          new MysqldExporterUnit(),
          new GarbdUnit(),
          new AppUnit(),
          new NginxUnit(),
          new NginxExporterUnit(),
          new HaproxyUnit(),
          new KeepalivedUnit(),
          new VipGuardUnit(),
          new WitnessUnit(),
          new NodeExporterUnit(),
          new AlertmanagerUnit(),
          // Prometheus scrapes what the registry's units declare; the registry is itself.
          new PrometheusUnit(() -> Units.ALL));

  private Units() {}

  /** The units that run on {@code host}, in start order. */
  public static List<DaemonUnit> on(Topology t, Host host) {
    return ALL.stream().filter(u -> u.runsOn(t, host)).toList();
  }

  /** The unit called {@code name}. */
  public static Optional<DaemonUnit> named(String name) {
    return ALL.stream().filter(u -> u.name().equals(name)).findFirst();
  }
}
