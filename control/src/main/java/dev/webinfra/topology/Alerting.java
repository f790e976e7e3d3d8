package dev.webinfra.topology;

import java.net.URI;
import java.util.List;

/**
 * Where alert notifications go besides the controller's own receiver: the webhooks of {@code
 * monitoring.notify}, such as a chat's incoming webhook.
 *
 * @param webhooks webhook URLs (http or https), in file order
 */
public record Alerting(List<URI> webhooks) {
  /** No webhook of the topology's own. */
  public static final Alerting NONE = new Alerting(List.of());

  public Alerting {
    webhooks = List.copyOf(webhooks);
  }
}
