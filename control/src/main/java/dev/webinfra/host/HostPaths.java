package dev.webinfra.host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where webinfra keeps one host's things on that host, whatever the host is. Renderers and daemon
 * units see only these paths, never how a driver lays hosts out on its machine.
 */
public record HostPaths(Path root) {
  public HostPaths {
    Objects.requireNonNull(root, "root");
  }

  /** Rendered configuration. */
  public Path etc() {
    return root.resolve("etc");
  }

  /** Certificates and keys. */
  public Path tls() {
    return etc().resolve("tls");
  }

  /** The lab CA's certificate, which every host that verifies a peer trusts. */
  public Path caFile() {
    return tls().resolve("ca.crt");
  }

  /** Daemon data, such as the MariaDB datadir. */
  public Path data() {
    return root.resolve("data");
  }

  /** Daemon logs. */
  public Path log() {
    return root.resolve("log");
  }

  /** Pid files, sockets, fingerprints and temp files. */
  public Path run() {
    return root.resolve("run");
  }

  /**
   * Metrics that daemons write as files in Prometheus's text format, for the host's node exporter:
   * keepalived's VRRP state.
   */
  public Path textfiles() {
    return run().resolve("textfile");
  }

  /** Files nginx serves itself. */
  public Path www() {
    return root.resolve("www");
  }

  /** Deployed application artifacts. */
  public Path app() {
    return root.resolve("app");
  }
}
