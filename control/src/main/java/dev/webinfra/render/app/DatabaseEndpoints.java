package dev.webinfra.render.app;

import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/** Where the app on a host reaches its database: the address it writes to and the one it reads. */
public final class DatabaseEndpoints {
  private DatabaseEndpoints() {}

  /**
   * The JDBC address of the database that takes the app's writes: the primary, or for a Galera
   * cluster every member, the app's own first, so the driver fails over between them by itself.
   */
  public static String writeEndpoint(Topology t, Host app) {
    List<String> hosts = writeHosts(t, app);
    if (hosts.size() == 1) {
      return "jdbc:mariadb://" + hosts.get(0) + "/" + NAME;
    }
    // A member in a state allowedStates leaves out (joining; a donor too with three members or
    // more) is passed over when connecting, so a connection the pool renews goes back to the
    // app's own member only once it serves again.
    return "jdbc:mariadb:sequential://"
        + String.join(",", hosts)
        + "/"
        + NAME
        + "?galeraAllowedState="
        + allowedStates(hosts.size());
  }

  /**
   * The {@code wsrep_local_state}s a connection accepts: Synced (4), and with only two members
   * Donor (2) too. A member that rejoins after an outage takes its state from the other, the only
   * one that can give it (an arbitrator holds no data); if a donor were passed over, no member
   * would take a new connection until the transfer ends, and the driver retries every 250 ms for
   * seconds meanwhile. A donor of an incremental transfer serves as usual; one of a full rsync
   * transfer holds back writes until it ends, which with two members no other member could take.
   * With three or more members a donor is passed over, as a Synced one remains.
   */
  static String allowedStates(int members) {
    return members <= 2 ? "4,2" : "4";
  }

  /** The database's name. */
  public static final String NAME = "webinfra";

  /**
   * The {@code address:port} of each database that takes the app's writes, in the order to try
   * them: the primary, or every Galera member with the app's own first.
   */
  public static List<String> writeHosts(Topology t, Host app) {
    List<Host> ordered =
        new ArrayList<>(
            t.database().writableHosts().stream().map(n -> t.host(n).orElseThrow()).toList());
    ordered.sort(java.util.Comparator.comparing(h -> !h.equals(app)));
    return ordered.stream().map(h -> h.addressFor(app) + ":" + h.settings().db().port()).toList();
  }

  /** As {@link #readEndpoint}, as {@code address:port} in the order to try them. */
  public static List<String> readHosts(Topology t, Host app) {
    if (app.has(Role.DB) && !t.database().writableHosts().contains(app.name())) {
      return List.of(app.addressFor(app) + ":" + app.settings().db().port());
    }
    return writeHosts(t, app);
  }

  /**
   * Where the app on {@code app} reads: its own database if it holds one, else the primary. When
   * its own database takes writes too, reads use the write address, so the app knows it needs no
   * wait for its own writes.
   */
  public static String readEndpoint(Topology t, Host app) {
    if (app.has(Role.DB) && t.database().writableHosts().contains(app.name())) {
      return writeEndpoint(t, app);
    }
    if (app.has(Role.DB)) {
      return jdbc(app, app);
    }
    return writeEndpoint(t, app);
  }

  private static String jdbc(Host db, Host from) {
    return "jdbc:mariadb://" + db.addressFor(from) + ":" + db.settings().db().port() + "/webinfra";
  }
}
