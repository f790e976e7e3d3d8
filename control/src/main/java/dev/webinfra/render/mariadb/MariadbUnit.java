package dev.webinfra.render.mariadb;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    boolean member = t.database().members().contains(host.name());
    return DaemonSpec.builder(
            host.name(),
            name(),
            // A Galera member starts through its script, which passes the position it recovers
            // after a crash; the script execs mariadbd, which keeps the pid.
            member
                ? List.of("sh", MariadbRenderer.startScript(p).toString())
                : List.of("mariadbd", "--defaults-file=" + cnf),
            p.log().resolve("mariadb").resolve("mariadbd-stdout.log"))
        .files(MariadbRenderer.render(t, host, p))
        .writes(p.data())
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
            member
                // A Galera member is ready once it has joined and synced, not when it answers.
                ? Readiness.sqlStatusOn(Path.of(cnf), "wsrep_ready")
                : Readiness.sqlPing(Path.of(cnf)))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    Database db = t.database();
    int port = host.settings().db().port();
    List<Flow> out = new ArrayList<>();
    if (db.writableHosts().contains(host.name())) {
      for (Host app : t.hostsWith(Role.APP)) {
        if (!app.equals(host)) {
          out.add(Flow.tcp(app.name(), host.name(), port, "app writes", Flow.Kind.APP_DB));
        }
      }
    }
    if (db.replicationSource().filter(host.name()::equals).isPresent()) {
      for (String r : db.replicas()) {
        out.add(Flow.tcp(r, host.name(), port, "replication", Flow.Kind.REPLICATION));
      }
    }
    if (db.kind() == Database.Kind.GALERA && db.members().contains(host.name())) {
      List<String> voters = new ArrayList<>(db.members());
      db.arbitrator().ifPresent(voters::add);
      for (String v : voters) {
        if (!v.equals(host.name())) {
          out.add(Flow.tcp(v, host.name(), 4567, "Galera group communication", Flow.Kind.GALERA));
        }
      }
      for (String m : db.members()) {
        if (!m.equals(host.name())) {
          out.add(
              Flow.tcp(
                  m,
                  host.name(),
                  4568,
                  "Galera incremental state transfer",
                  Flow.Kind.GALERA_STATE_TRANSFER));
          out.add(
              Flow.tcp(
                  m, host.name(), 4444, "Galera state transfer", Flow.Kind.GALERA_STATE_TRANSFER));
        }
      }
    }
    return out;
  }

  /** Every app and database host may reach any database: any server may become the primary. */
  @Override
  public List<Flow> standby(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    List<Flow> out = new ArrayList<>();
    for (Host other : t.hosts()) {
      if (!other.equals(host) && (other.has(Role.APP) || other.has(Role.DB))) {
        out.add(
            Flow.tcp(
                other.name(),
                host.name(),
                host.settings().db().port(),
                "database clients",
                Flow.Kind.APP_DB));
      }
    }
    return out;
  }

  /** The server and Galera's ports bind the host's first address, as the rendered config says. */
  @Override
  public List<Listener> listeners(Topology t, Host host) {
    Set<Ipv4> first = Set.of(host.primaryAddress());
    List<Listener> out = new ArrayList<>();
    out.add(Listener.tcp(name(), host.settings().db().port(), first));
    if (t.database().kind() == Database.Kind.GALERA
        && t.database().members().contains(host.name())) {
      for (int p : List.of(4567, 4568, 4444)) {
        out.add(Listener.tcp(name(), p, first));
      }
    }
    return out;
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(MariaDB)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(
        new GoldenCase("three-servers", "web1"),
        new GoldenCase("three-servers", "web2"),
        new GoldenCase("ha-cluster", "web1"),
        new GoldenCase("ha-cluster", "web3"),
        new GoldenCase("single-server", "web1"));
  }
}
