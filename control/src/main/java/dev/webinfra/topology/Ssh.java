package dev.webinfra.topology;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How webinfra reaches a server over SSH: its address (an IPv4 address or a DNS name), the user it
 * logs in as ({@code sudo} when not root), the port, the private key to offer (the agent's keys
 * otherwise), and the known_hosts file that its host key must be in.
 */
public record Ssh(String address, String user, int port, Optional<Path> identity, Path knownHosts) {
  /** The user webinfra logs in as when the topology names none. */
  public static final String DEFAULT_USER = "root";

  /** SSH's port. */
  public static final int DEFAULT_PORT = 22;

  public Ssh {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(knownHosts, "knownHosts");
  }

  /** {@code user@address:port}, as messages show it. */
  public String target() {
    return user + "@" + address + (port == DEFAULT_PORT ? "" : ":" + port);
  }
}
