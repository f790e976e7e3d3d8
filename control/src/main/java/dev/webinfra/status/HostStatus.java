package dev.webinfra.status;

import java.util.List;
import java.util.Map;

/** One host's state: whether its namespace and links are up, its components, and its firewall. */
public record HostStatus(
    String name,
    List<String> roles,
    Map<String, String> addresses,
    boolean up,
    List<ComponentStatus> components,
    Firewall firewall) {

  /** Whether the host's firewall is on, and how many packets it dropped (null when unknown). */
  public record Firewall(boolean enabled, Long dropped_packets) {}

  public HostStatus {
    roles = List.copyOf(roles);
    addresses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(addresses));
    components = List.copyOf(components);
  }
}
