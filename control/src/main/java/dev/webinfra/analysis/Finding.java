package dev.webinfra.analysis;

import dev.webinfra.topology.Host;
import java.util.List;
import java.util.Objects;

/**
 * One thing the design check found: a stable id, how bad, which hosts, why it matters, the fix, and
 * the path it concerns ({@code client → 198.18.6.100:443 → lb1}; empty when none).
 */
public record Finding(
    String id,
    Severity severity,
    List<String> hosts,
    String title,
    String why,
    String fix,
    String path) {
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(fix, "fix");
    Objects.requireNonNull(path, "path");
  }

  /** A finding about no single path. */
  public Finding(
      String id, Severity severity, List<String> hosts, String title, String why, String fix) {
    this(id, severity, hosts, title, why, fix, "");
  }

  /** The names of {@code hosts}, in their order: the hosts a finding names. */
  static List<String> names(List<Host> hosts) {
    return hosts.stream().map(Host::name).toList();
  }
}
