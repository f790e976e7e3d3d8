package dev.webinfra.host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where webinfra keeps one host's things on that host, whatever the host is. Renderers and daemon
 * units see only these paths, never how a driver lays hosts out on its machine: a lab host keeps
 * everything under one directory of the machine ({@link #HostPaths(Path)}), a server keeps them
 * where a Debian server keeps a service's ({@link #server()}).
 *
 * @param etc rendered configuration
 * @param data daemon data, such as the MariaDB datadir
 * @param log logs that daemons write themselves
 * @param run pid files, sockets, fingerprints and temp files
 * @param www files nginx serves itself
 * @param app deployed application artifacts
 */
public record HostPaths(Path etc, Path data, Path log, Path run, Path www, Path app) {
  public HostPaths {
    Objects.requireNonNull(etc, "etc");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(www, "www");
    Objects.requireNonNull(app, "app");
  }

  /** Everything under {@code root}: a lab host's directory on the machine. */
  public HostPaths(Path root) {
    this(
        root.resolve("etc"),
        root.resolve("data"),
        root.resolve("log"),
        root.resolve("run"),
        root.resolve("www"),
        root.resolve("app"));
  }

  /**
   * A server's: configuration under /etc/webinfra, the rest under /var/lib/webinfra (the run
   * directory too, so that what {@code up} recorded of each daemon outlives a reboot), and the logs
   * that daemons write themselves under /var/log/webinfra; the others go to the journal.
   */
  public static HostPaths server() {
    Path lib = Path.of("/var/lib/webinfra");
    return new HostPaths(
        Path.of("/etc/webinfra"),
        lib.resolve("data"),
        Path.of("/var/log/webinfra"),
        lib.resolve("run"),
        lib.resolve("www"),
        lib.resolve("app"));
  }

  /** Certificates and keys. */
  public Path tls() {
    return etc.resolve("tls");
  }

  /** The lab CA's certificate, which every host that verifies a peer trusts. */
  public Path caFile() {
    return tls().resolve("ca.crt");
  }

  /**
   * Metrics that daemons write as files in Prometheus's text format, for the host's node exporter:
   * keepalived's VRRP state.
   */
  public Path textfiles() {
    return run.resolve("textfile");
  }
}
