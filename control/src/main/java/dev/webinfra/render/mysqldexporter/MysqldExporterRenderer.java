package dev.webinfra.render.mysqldexporter;

import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders mysqld_exporter's client config. It holds a password, so it is not a rendered file but a
 * template the apply step fills with the lab's secret ({@code {{secret:mysqld-exporter}}}).
 */
public final class MysqldExporterRenderer {
  /** The exporter's MariaDB account. */
  public static final String DB_USER = "webinfra_exporter";

  /** The lab secret holding its password. */
  public static final String SECRET = "mysqld-exporter";

  /**
   * What the account may do, and no more: server status and variables, the process list,
   * replication and binlog status (MariaDB 10.5+ split REPLICATION CLIENT into BINLOG MONITOR and
   * SLAVE MONITOR), and performance_schema reads. Run on the writable server when the database is
   * set up; Galera and replication carry it to the others.
   */
  public static final List<String> GRANTS =
      List.of(
          "CREATE USER IF NOT EXISTS '"
              + DB_USER
              + "'@'localhost' IDENTIFIED BY {{secret:"
              + SECRET
              + "}} WITH MAX_USER_CONNECTIONS 3",
          "ALTER USER '" + DB_USER + "'@'localhost' IDENTIFIED BY {{secret:" + SECRET + "}}",
          "GRANT PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO '" + DB_USER + "'@'localhost'",
          "GRANT SELECT ON performance_schema.* TO '" + DB_USER + "'@'localhost'");

  private MysqldExporterRenderer() {}

  /** The client config's path. */
  public static Path clientConfig(HostPaths paths) {
    return paths.etc().resolve("mysqld-exporter.cnf");
  }

  /** MariaDB's socket on the host, as its config names it. */
  public static Path socket(HostPaths paths) {
    return MariadbRenderer.socket(paths);
  }

  /** The client config as a template with the secret's placeholder left in. */
  public static String clientConfigTemplate(Topology t, Host h, HostPaths paths) {
    return Template.load("mysqldexporter/client.cnf")
        .render(
            Map.of(
                "host", h.name(),
                "lab", t.lab(),
                "user", DB_USER,
                "socket", socket(paths).toString()));
  }
}
