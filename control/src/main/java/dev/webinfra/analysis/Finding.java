package dev.webinfra.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One thing the design check found: a stable id, how bad, which hosts, why it matters, and the fix.
 */
public record Finding(
    String id, Severity severity, List<String> hosts, String title, String why, String fix) {
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(why, "why");
    Objects.requireNonNull(fix, "fix");
  }
}
