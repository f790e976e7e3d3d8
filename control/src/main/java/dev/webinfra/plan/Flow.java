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
    MONITORING;

    /** Whether the flow carries database credentials or data. */
    public boolean carriesSecrets() {
      return this == APP_DB
          || this == REPLICATION
          || this == GALERA
          || this == GALERA_STATE_TRANSFER;
    }
  }

  /** The kind of this flow, from the purpose {@link Flows#required} gave it. */
  public Kind kind() {
    return switch (purpose) {
      case "DNS" -> Kind.DNS;
      case "HTTP", "HTTPS" -> Kind.SITE;
      case "requests and health checks" -> Kind.BACKEND;
      case "VRRP adverts for the floating IP" -> Kind.VRRP;
      case "app writes", "database clients" -> Kind.APP_DB;
      case "replication" -> Kind.REPLICATION;
      case "Galera group communication" -> Kind.GALERA;
      case "Galera incremental state transfer", "Galera state transfer" ->
          Kind.GALERA_STATE_TRANSFER;
      case "monitoring", "HAProxy metrics", "MariaDB metrics", "nginx metrics", "app metrics" ->
          Kind.MONITORING;
      default ->
          throw new IllegalStateException("flow " + describe() + ": no kind for its purpose");
    };
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
