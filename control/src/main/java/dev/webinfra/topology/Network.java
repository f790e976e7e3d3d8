package dev.webinfra.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * A network of the lab: one bridge. {@code machineAddress}, when present, is the address the
 * machine itself gets on it, so that a person at the machine can reach the site.
 */
public record Network(String name, Cidr cidr, Optional<Ipv4> machineAddress) {
  public Network {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cidr, "cidr");
    Objects.requireNonNull(machineAddress, "machineAddress");
  }
}
