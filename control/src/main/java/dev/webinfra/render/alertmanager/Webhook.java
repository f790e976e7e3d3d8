package dev.webinfra.render.alertmanager;

import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.Optional;

/**
 * The controller's alert receiver, as Alertmanager sees it: plain HTTP on {@link #PORT}, with a
 * bearer token that is the site's secret {@link #SECRET}. In a lab the controller runs on the
 * machine, at its address on the monitoring host's network; on a site of servers it runs on the
 * first monitoring host, which posts to its own loopback.
 */
public final class Webhook {
  /** The receiver's port on the machine (Alertmanager's own are 9093 and 9094). */
  public static final int PORT = 9095;

  /** The path Alertmanager posts to. */
  public static final String PATH = "/alertmanager";

  /** The lab secret Alertmanager sends as its bearer token. */
  public static final String SECRET = "alertmanager-webhook";

  private Webhook() {}

  /**
   * The machine's address on the first network of {@code monitor} where it has one: the loader
   * gives the machine one on every network that holds a monitoring host.
   */
  public static Optional<Ipv4> machineAddress(Topology t, Host monitor) {
    return monitor.attachments().stream()
        .map(a -> t.network(a.network()).flatMap(Network::machineAddress))
        .flatMap(Optional::stream)
        .findFirst();
  }

  /** Where the controller's receiver that {@code monitor}'s Alertmanager posts to listens. */
  public static Optional<String> listenAddress(Topology t, Host monitor) {
    if (t.onServers()) {
      // The controller runs on the first monitoring host: another one's Alertmanager has no
      // receiver of the controller's to post to (its notices still go to monitoring.notify).
      return t.hostsWith(Role.MONITOR).stream()
          .findFirst()
          .filter(monitor::equals)
          .map(m -> LOOPBACK);
    }
    return machineAddress(t, monitor).map(Ipv4::toString);
  }

  /** The receiver's URL for {@code monitor}'s Alertmanager. */
  public static Optional<String> url(Topology t, Host monitor) {
    return listenAddress(t, monitor).map(a -> "http://" + a + ":" + PORT + PATH);
  }

  /** A server's loopback, where its controller receives its own Alertmanager's notices. */
  static final String LOOPBACK = "127.0.0.1";
}
