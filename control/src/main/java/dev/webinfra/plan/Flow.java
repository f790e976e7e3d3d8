package dev.webinfra.plan;

import dev.webinfra.topology.FirewallRule;
import java.util.Objects;

/** One network flow the design needs: from a host to a port on another host, and why. */
public record Flow(String from, String to, int port, FirewallRule.Proto proto, String purpose) {
  public Flow {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(proto, "proto");
    Objects.requireNonNull(purpose, "purpose");
  }

  /** {@code from -> to:port/proto (purpose)}, for findings. */
  public String describe() {
    return from
        + " -> "
        + to
        + (proto == FirewallRule.Proto.VRRP
            ? " vrrp"
            : ":" + port + "/" + proto.name().toLowerCase(java.util.Locale.ROOT))
        + " ("
        + purpose
        + ")";
  }
}
