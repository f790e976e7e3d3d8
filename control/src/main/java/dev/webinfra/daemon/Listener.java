package dev.webinfra.daemon;

import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Ipv4;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One socket a daemon binds on a host, as its renderer writes it: the transport, the port and the
 * addresses. The design check finds ports bound twice, and flows to an address nothing listens on.
 */
public record Listener(String daemon, Proto proto, int port, Set<Ipv4> addresses) {
  public Listener {
    Objects.requireNonNull(daemon, "daemon");
    Objects.requireNonNull(proto, "proto");
    addresses = Set.copyOf(addresses);
  }

  /** A TCP socket. */
  public static Listener tcp(String daemon, int port, Set<Ipv4> addresses) {
    return new Listener(daemon, Proto.TCP, port, addresses);
  }

  /** Whether the two bind the same port and transport on a common address. */
  public boolean collidesWith(Listener o) {
    return proto == o.proto && port == o.port && addresses.stream().anyMatch(o.addresses::contains);
  }

  /** Whether it takes {@code proto} on {@code port} (any port for VRRP, which has none). */
  public boolean takes(Proto proto, int port) {
    return this.proto == proto && (proto == Proto.VRRP || this.port == port);
  }

  /** {@code daemon on port/proto}, for findings. */
  public String describe() {
    return daemon + " on " + port + "/" + proto.name().toLowerCase(Locale.ROOT);
  }
}
