package dev.webinfra.controller;

import java.util.Objects;

/**
 * One result of detection: the code, where, and why.
 *
 * @param code the analysis code
 * @param host the host
 * @param daemon the daemon's name, or null for a host-wide finding
 * @param reason what was seen
 */
public record Finding(Analysis code, String host, String daemon, String reason) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code host/daemon}, or the host alone. */
  public String target() {
    return daemon == null ? host : host + "/" + daemon;
  }
}
