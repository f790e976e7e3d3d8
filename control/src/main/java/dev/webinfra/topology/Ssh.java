package dev.webinfra.topology;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How webinfra reaches a server over SSH: its address (an IPv4 address or a DNS name), the user it
 * logs in as ({@code sudo} when not root), the port, the private key to offer (the agent's keys
 * otherwise), the known_hosts file that its host key must be in, and the names of its interfaces on
 * the topology's networks where they differ from the networks' names ({@code interfaces}).
 */
public record Ssh(
    String address,
    String user,
    int port,
    Optional<Path> identity,
    Path knownHosts,
    Map<String, String> interfaces) {
  /** The user webinfra logs in as when the topology names none. */
  public static final String DEFAULT_USER = "root";

  /** SSH's port. */
  public static final int DEFAULT_PORT = 22;

  public Ssh {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(knownHosts, "knownHosts");
    interfaces = Map.copyOf(interfaces);
  }

  /** A server whose interfaces are named after the networks. */
  public Ssh(String address, String user, int port, Optional<Path> identity, Path knownHosts) {
    this(address, user, port, identity, knownHosts, Map.of());
  }

  /**
   * The name of the server's interface on {@code network}: where keepalived puts the floating IP.
   */
  public String iface(String network) {
    return interfaces.getOrDefault(network, network);
  }

  /** {@code user@address:port}, as messages show it. */
  public String target() {
    return user + "@" + address + (port == DEFAULT_PORT ? "" : ":" + port);
  }
}
