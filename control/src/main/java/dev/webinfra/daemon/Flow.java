package dev.webinfra.daemon;

import dev.webinfra.topology.FirewallRule;
import java.util.Objects;

/**
 * One network flow the design needs: from a host to a port on another host, why, and what kind of
 * flow it is. The daemon that receives it declares it ({@link DaemonUnit#inbound}).
 */
public record Flow(
    String from, String to, int port, FirewallRule.Proto proto, String purpose, Kind kind) {
  /** The {@code to} of a flow to the machine itself, which is no host of the topology. */
  public static final String MACHINE = "machine";

  public Flow {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(proto, "proto");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(kind, "kind");
  }

  /** A TCP flow. */
  public static Flow tcp(String from, String to, int port, String purpose, Kind kind) {
    return new Flow(from, to, port, FirewallRule.Proto.TCP, purpose, kind);
  }

  /** What a flow is for; the analysis reasons on this, never on the purpose's words. */
  public enum Kind {
    DNS,
    SITE,
    BACKEND,
    VRRP,
    APP_DB,
    REPLICATION,
    GALERA,
    GALERA_STATE_TRANSFER,
    MONITORING,
    /** A load balancer asking the floating IP's witness for its lease. */
    WITNESS;

    /** Whether the flow carries database credentials or data. */
    public boolean carriesSecrets() {
      return this == APP_DB
          || this == REPLICATION
          || this == GALERA
          || this == GALERA_STATE_TRANSFER;
    }
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
