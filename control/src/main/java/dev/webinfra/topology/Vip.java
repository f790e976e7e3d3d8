package dev.webinfra.topology;

import java.util.Objects;

/** The floating IP that the load balancers hand between them with VRRP. */
public record Vip(Ipv4 address, String network, int routerId) {
  public Vip {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(network, "network");
  }
}
