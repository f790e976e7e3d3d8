package dev.webinfra.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a host does in the infrastructure; each role brings its daemons, ports and firewall rules.
 */
public enum Role {
  /** A visitor's machine: curl and a resolver pointing at the lab DNS. */
  CLIENT,
  /** The authoritative DNS server for the site's zone (dnsmasq). */
  DNS,
  /** A load balancer (HAProxy), and with a floating IP, keepalived. */
  LB,
  /** A web server (nginx): static files, reverse proxy to the app. */
  WEB,
  /** The application server (our Java app), behind the local nginx. */
  APP,
  /** A database server (MariaDB). */
  DB,
  /** A Galera arbitrator (garbd): a vote without data. */
  ARBITRATOR,
  /** The monitoring server (Prometheus). */
  MONITOR;

  /** The name used in topology files. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this topology-file name, if any. */
  public static Optional<Role> fromYaml(String name) {
    return Arrays.stream(values()).filter(r -> r.yamlName().equals(name)).findFirst();
  }

  /** The allowed names, for error messages. */
  public static String allowedNames() {
    return Arrays.stream(values()).map(Role::yamlName).collect(Collectors.joining(", "));
  }
}
