package dev.webinfra.render.mariadb;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;

/**
 * MariaDB on every {@code db} host. Its start order across hosts (primary first, the Galera
 * bootstrap) is the database tier's business; this unit says what one server is.
 */
public final class MariadbUnit implements DaemonUnit {
  /** The unit's name. */
  public static final String NAME = "mariadb";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> packages() {
    return List.of("mariadb-server", "mariadb-client", "galera-4", "rsync", "lsof");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.DB);
  }

  /** The client config that reaches this server as root, through its socket. */
  public static String myCnf(HostPaths p) {
    return p.etc().resolve("my.cnf").toString();
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String cnf = myCnf(p);
    return DaemonSpec.builder(
            host.name(),
            name(),
            List.of("mariadbd", "--defaults-file=" + cnf),
            p.log().resolve("mariadb").resolve("mariadbd-stdout.log"))
        .files(MariadbRenderer.render(t, host, p))
        .dir(p.log().resolve("mariadb"), "mysql")
        .dir(p.run().resolve("mariadb"), "mysql")
        .dir(p.data().resolve("binlog"), "mysql")
        .logs(p.log().resolve("mariadb").resolve("mariadb.err"))
        // root gets the unix_socket plugin only: it logs in through the socket, never a password.
        .beforeStart(
            Step.of(
                "initialise the datadir",
                "sh",
                "-c",
                "test -d "
                    + p.data().resolve("mysql").resolve("mysql")
                    + " || mariadb-install-db --defaults-file="
                    + cnf
                    + " --auth-root-authentication-method=socket --skip-test-db"
                    + " --skip-name-resolve"))
        .readiness(
            t.database().members().contains(host.name())
                // A Galera member is ready once it has joined and synced, not when it answers.
                ? List.of(
                    "sh",
                    "-c",
                    "mariadb --defaults-file="
                        + cnf
                        + " --connect-timeout=1 -N -B -e \"SHOW STATUS LIKE 'wsrep_ready'\""
                        + " | grep -q ON")
                : List.of("mariadb-admin", "--defaults-file=" + cnf, "--connect-timeout=1", "ping"))
        .build();
  }
}
