package dev.webinfra.lab;

import java.util.List;
import java.util.Map;

/** One host's state: whether its namespace and links are up, and its components. */
public record HostStatus(String name, List<String> roles, Map<String, String> addresses, boolean up, List<ComponentStatus> components) {
  public HostStatus {
    roles = List.copyOf(roles);
    addresses = Map.copyOf(addresses);
    components = List.copyOf(components);
  }
}
