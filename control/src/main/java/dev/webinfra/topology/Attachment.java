package dev.webinfra.topology;

import java.util.Objects;

/** A host's interface on a network, with its address there. */
public record Attachment(String network, Ipv4 address) {
  public Attachment {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(address, "address");
  }
}
