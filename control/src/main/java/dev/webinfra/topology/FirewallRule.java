package dev.webinfra.topology;

import java.util.List;
import java.util.Objects;

/**
 * One inbound allow rule written by hand in a topology: a port (0 for a protocol without ports,
 * such as VRRP) and the sources allowed, each a host name, a network name, or {@code any}.
 */
public record FirewallRule(int port, Proto proto, List<String> from) {

  /** The transport a rule matches. */
  public enum Proto {
    TCP,
    UDP,
    VRRP
  }

  public FirewallRule {
    Objects.requireNonNull(proto, "proto");
    from = List.copyOf(from);
  }
}
