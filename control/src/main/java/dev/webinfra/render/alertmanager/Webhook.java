package dev.webinfra.render.alertmanager;

import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import java.util.Optional;

/**
 * The controller's alert receiver, as Alertmanager sees it: plain HTTP on {@link #PORT} at the
 * machine's address on the monitoring host's network, with a bearer token that is the lab's secret
 * {@link #SECRET}.
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

  /** The receiver's URL for {@code monitor}'s Alertmanager. */
  public static Optional<String> url(Topology t, Host monitor) {
    return machineAddress(t, monitor).map(a -> "http://" + a + ":" + PORT + PATH);
  }
}
