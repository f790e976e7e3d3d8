package dev.webinfra.render.mariadb;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders MariaDB's config: its own datadir, socket and logs under the host's state directory, and
 * the host's part in replication: writable primary, read-only replica, or Galera member.
 */
public final class MariadbRenderer {
  /** Galera's group communication, state transfer and incremental state transfer ports. */
  public static final List<Integer> GALERA_PORTS = List.of(4567, 4568, 4444);

  /**
   * Galera's failure detection, shared by members and the arbitrator: a silent member is suspected
   * after 0.8 s (Galera's default is 5 s) and, once every other member and the arbitrator suspect
   * it too, leaves the view, so a power-cut member stalls the cluster's commits for about a second
   * instead of 2.5 s. Galera's bounds hold: the inactivity check runs at most every half suspect
   * timeout, a keepalive goes out at least three times per suspect timeout, and the install timeout
   * lies between two keepalives and the inactive timeout. The inactive timeout (1.5 s) evicts a
   * member even without agreement, as after a partition.
   */
  public static final String EVS_OPTIONS =
      "evs.keepalive_period=PT0.25S;evs.inactive_check_period="
          + seconds(Evs.INACTIVE_CHECK_PERIOD_MS)
          + ";evs.suspect_timeout="
          + seconds(Evs.SUSPECT_TIMEOUT_MS)
          + ";evs.inactive_timeout="
          + seconds(Evs.INACTIVE_TIMEOUT_MS)
          + ";evs.install_timeout=PT1.5S;evs.join_retrans_period=PT0.25S";

  /** The failure-detection figures of {@link #EVS_OPTIONS} that the design check reads. */
  public static final class Evs {
    /** {@code evs.suspect_timeout}: silence after which a member is suspected. */
    public static final int SUSPECT_TIMEOUT_MS = 800;

    /** {@code evs.inactive_check_period}: how often members look for silent peers. */
    public static final int INACTIVE_CHECK_PERIOD_MS = 100;

    /** {@code evs.inactive_timeout}: silence after which a member is evicted without agreement. */
    public static final int INACTIVE_TIMEOUT_MS = 1500;

    private Evs() {}
  }

  /**
   * {@code slave_net_timeout}, in seconds: how long a replica waits on a silent primary, and its IO
   * thread's connect timeout.
   */
  public static final int SLAVE_NET_TIMEOUT_S = 1;

  /** {@code max_connections}: the client connections one server accepts. */
  public static final int MAX_CONNECTIONS = 100;

  // Galera's ISO-8601 durations: PT0.8S.
  private static String seconds(int ms) {
    return "PT" + java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "S";
  }

  /** The Galera cluster's name, shared by members and the arbitrator. */
  public static String clusterName(Topology t) {
    return "webinfra-" + t.lab();
  }

  /** The semi-sync timeout without a fall-back: 2^32-1 ms, about 49 days. */
  static final long NO_FALLBACK_MS = 4_294_967_295L;

  /** The semi-sync timeout when the topology chose availability ({@code semi_sync_fallback}). */
  static final long ASYNC_FALLBACK_MS = 2_000L;

  /** The server's own run directory: its socket and pid file. */
  public static java.nio.file.Path runDir(HostPaths paths) {
    return paths.run().resolve("mariadb");
  }

  /** The server's socket, through which local clients log in. */
  public static java.nio.file.Path socket(HostPaths paths) {
    return runDir(paths).resolve("mysqld.sock");
  }

  private MariadbRenderer() {}

  /** The files for a db host. */
  public static List<RenderedFile> render(Topology t, Host host, HostPaths paths) {
    HostPaths dirs = paths;
    boolean binlog = host.settings().db().binlog();
    Database db = t.database();
    boolean member = db.kind() == Database.Kind.GALERA && db.members().contains(host.name());
    String content =
        Template.load("mariadb/my.cnf")
            .render(
                Template.vars(
                    "host", host.name(),
                    "lab", t.lab(),
                    // Own subdirectories, writable by the mysql user and by no other daemon of the
                    // host.
                    "run", runDir(dirs).toString(),
                    "log", dirs.log().resolve("mariadb").toString(),
                    "data", dirs.data().toString(),
                    "bind", host.primaryAddress().toString(),
                    "port", Integer.toString(host.settings().db().port()),
                    // Galera members share one server id (their GTIDs are the cluster's); everyone
                    // else has its own.
                    "server_id", Integer.toString(member ? 1000 : t.hosts().indexOf(host) + 1),
                    "binlog",
                        binlog
                            ? "log-bin = "
                                + dirs.data()
                                + "/binlog/"
                                + host.name()
                                + "-bin\nsync_binlog = 1\nlog_slave_updates = ON"
                            : "# no binary log: this server cannot feed replicas",
                    "replication", replication(t, host, dirs),
                    "buffer_pool_mb", Integer.toString(host.settings().db().bufferPoolMb()),
                    "max_connections", Integer.toString(MAX_CONNECTIONS)));
    RenderedFile cnf = RenderedFile.config(dirs.etc().resolve("my.cnf"), content);
    if (!member) {
      return List.of(cnf);
    }
    String start =
        Template.load("mariadb/mariadb-start.sh")
            .render(
                Template.vars(
                    "host", host.name(),
                    "lab", t.lab(),
                    "cnf", cnf.path().toString(),
                    "grastate", dirs.data().resolve("mysql").resolve("grastate.dat").toString(),
                    "recovered", recoveredPosition(dirs).toString()));
    return List.of(cnf, new RenderedFile(startScript(dirs), start, "rwxr-xr-x"));
  }

  /**
   * Where the lab leaves a crashed member's position ({@code uuid:seqno}) when it has just
   * recovered it to choose whom to bootstrap from: the start script uses it instead of replaying
   * InnoDB's redo log a second time, as long as the file is newer than {@code grastate.dat} (the
   * member has not run since).
   */
  public static java.nio.file.Path recoveredPosition(HostPaths paths) {
    return paths.run().resolve("mariadb").resolve("recovered-position");
  }

  /**
   * A Galera member's start command: recovers the member's position after a crash, then runs
   * mariadbd with it (see the template).
   */
  public static java.nio.file.Path startScript(HostPaths paths) {
    return paths.etc().resolve("mariadb-start.sh");
  }

  private static String replication(Topology t, Host host, HostPaths dirs) {
    Database db = t.database();
    int domain = t.hosts().indexOf(host) + 1;
    return switch (db.kind()) {
      case NONE, SINGLE -> "# no replication";
      case PRIMARY_REPLICA -> {
        boolean primary = db.primary().filter(host.name()::equals).isPresent();
        yield String.join(
            "\n",
            "gtid_strict_mode = ON",
            "gtid_domain_id = 0",
            "relay_log = " + dirs.data() + "/binlog/" + host.name() + "-relay",
            // Every server can be promoted, so every one knows the primary's half of semi-sync too.
            // AFTER_SYNC: a commit becomes visible only once a replica has it, so nothing a client
            // saw can be lost with the primary.
            "rpl_semi_sync_master_wait_point = AFTER_SYNC",
            // No silent fall-back to asynchronous replication: without a replica's
            // acknowledgement a commit waits (for 49 days), unless the topology chose availability.
            "rpl_semi_sync_master_timeout = "
                + (db.asyncFallback() ? ASYNC_FALLBACK_MS : NO_FALLBACK_MS),
            "rpl_semi_sync_master_wait_no_slave = ON",
            "rpl_semi_sync_master_enabled = " + (primary && db.semiSync() ? "ON" : "OFF"),
            "rpl_semi_sync_slave_enabled = " + (db.semiSync() ? "ON" : "OFF"),
            // A server that starts as a replica after a crash (a returning old primary) discards
            // the binlogged transactions it never committed: no replica acknowledged them.
            (!primary && db.semiSync() ? "" : "# ") + "init_rpl_role = SLAVE",
            // A replica notices a silent primary within 1 s (heartbeats every 0.5 s), so that the
            // controller's holistic detection does not wait a minute for it. It is also the IO
            // thread's connect timeout: a failover that stops the IO thread while it retries a
            // dead primary waits that long.
            "slave_net_timeout = " + SLAVE_NET_TIMEOUT_S,
            // A replica refuses direct writes; only the replication thread changes it.
            "read_only = " + (primary ? "OFF" : "ON"));
      }
      case GALERA -> {
        if (db.members().contains(host.name())) {
          String peers =
              t.hosts().stream()
                  .filter(
                      h ->
                          db.members().contains(h.name())
                              || db.arbitrator().filter(h.name()::equals).isPresent())
                  .map(h -> h.addressFor(host).toString())
                  .collect(Collectors.joining(","));
          yield String.join(
              "\n",
              "wsrep_on = ON",
              "wsrep_provider = /usr/lib/galera/libgalera_smm.so",
              "wsrep_cluster_name = " + clusterName(t),
              "wsrep_cluster_address = gcomm://" + peers,
              "wsrep_node_name = " + host.name(),
              "wsrep_node_address = " + host.primaryAddress(),
              "wsrep_sst_method = rsync",
              // gmcast.listen_addr: group communication on the node's own address, not on every
              // address.
              "wsrep_provider_options = \"gmcast.listen_addr=tcp://"
                  + host.primaryAddress()
                  + ":4567;gcache.size=64M;"
                  + EVS_OPTIONS
                  + "\"",
              // Reads keep working through a view change (a member leaving); writes still wait for
              // quorum.
              "wsrep_dirty_reads = ON",
              "wsrep_gtid_mode = ON",
              "wsrep_gtid_domain_id = 1",
              // Writes made outside the cluster (there should be none) get a domain of their own.
              "gtid_domain_id = " + (100 + domain),
              "innodb_autoinc_lock_mode = 2",
              "relay_log = " + dirs.data() + "/binlog/" + host.name() + "-relay",
              "read_only = OFF");
        }
        yield String.join(
            "\n",
            "gtid_domain_id = " + (100 + domain),
            "relay_log = " + dirs.data() + "/binlog/" + host.name() + "-relay",
            // A replica of the cluster notices a silent source within 1 s (heartbeats every 0.5
            // s), and STOP SLAVE waits at most that long for an IO thread connecting to a dead
            // one, so the controller moves it to another member within seconds.
            "slave_net_timeout = 1",
            "read_only = ON");
      }
    };
  }
}
