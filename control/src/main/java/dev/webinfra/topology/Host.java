package dev.webinfra.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One host of the site: its roles, its addresses on each network, its layered settings, and, for a
 * server of the user's rather than a lab namespace, how webinfra reaches it over SSH.
 */
public record Host(
    String name,
    List<Role> roles,
    List<Attachment> attachments,
    Settings settings,
    Optional<Ssh> ssh) {
  public Host {
    Objects.requireNonNull(name, "name");
    roles = List.copyOf(roles);
    attachments = List.copyOf(attachments);
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(ssh, "ssh");
  }

  /** A lab host: a network namespace of the machine webinfra runs on. */
  public Host(String name, List<Role> roles, List<Attachment> attachments, Settings settings) {
    this(name, roles, attachments, settings, Optional.empty());
  }

  /**
   * Equal when every part is. The analysis asks "is this the same host?" of every pair of hosts;
   * the generated equals would then compare a host's settings with themselves, every firewall rule
   * included, so the same object and another name answer at once.
   */
  @Override
  public boolean equals(Object o) {
    return this == o
        || o instanceof Host h
            && name.equals(h.name)
            && roles.equals(h.roles)
            && attachments.equals(h.attachments)
            && settings.equals(h.settings)
            && ssh.equals(h.ssh);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, roles, attachments, settings, ssh);
  }

  /** Whether the host has this role. */
  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** The host's address on a network, if it is attached to it. */
  public Optional<Ipv4> address(String network) {
    return attachments.stream()
        .filter(a -> a.network().equals(network))
        .map(Attachment::address)
        .findFirst();
  }

  /** The address on the first network listed, which the host's services use by default. */
  public Ipv4 primaryAddress() {
    return attachments.get(0).address();
  }

  /** Whether the two hosts share a network. */
  public boolean sharesNetworkWith(Host other) {
    return attachments.stream().anyMatch(a -> other.address(a.network()).isPresent());
  }

  /**
   * The address at which {@code from} reaches this host: on a network they share, else the primary
   * one.
   */
  public Ipv4 addressFor(Host from) {
    return attachments.stream()
        .filter(a -> from.address(a.network()).isPresent())
        .map(Attachment::address)
        .findFirst()
        .orElse(primaryAddress());
  }
}
