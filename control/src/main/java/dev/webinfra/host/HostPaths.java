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
 * @param java the java launcher that webinfra's own daemons and a guestbook or jar app run on
 * @param control the control jar (or classes) that webinfra's own small daemons run from: the
 *     witness, the VIP guard
 */
public record HostPaths(
    Path etc, Path data, Path log, Path run, Path www, Path app, Path java, Path control) {
  public HostPaths {
    Objects.requireNonNull(etc, "etc");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(www, "www");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(control, "control");
  }

  /** Where a server keeps the Java runtime webinfra ships to it (a jlink image). */
  public static final Path SERVER_RUNTIME = Path.of("/var/lib/webinfra/runtime");

  /**
   * Everything under {@code root}: a lab host's directory on the machine. Its hosts share the
   * machine's files, so they run the java and the control jar this process runs.
   */
  public HostPaths(Path root) {
    this(
        root.resolve("etc"),
        root.resolve("data"),
        root.resolve("log"),
        root.resolve("run"),
        root.resolve("www"),
        root.resolve("app"),
        Path.of(System.getProperty("java.home"), "bin", "java"),
        controlCode());
  }

  // The jar (or classes directory) this class came from.
  private static Path controlCode() {
    try {
      return Path.of(HostPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate webinfra's control jar", e);
    }
  }

  /**
   * A server's: configuration under /etc/webinfra, the rest under /var/lib/webinfra (the run
   * directory too, so that what {@code up} recorded of each daemon outlives a reboot), and the logs
   * that daemons write themselves under /var/log/webinfra; the others go to the journal. Debian 12
   * has Java 17 and webinfra runs on 21: a server runs webinfra's own Java runtime (a jlink image
   * under /var/lib/webinfra/runtime) and its control jar from /var/lib/webinfra/lib.
   */
  public static HostPaths server() {
    Path lib = Path.of("/var/lib/webinfra");
    return new HostPaths(
        Path.of("/etc/webinfra"),
        lib.resolve("data"),
        Path.of("/var/log/webinfra"),
        lib.resolve("run"),
        lib.resolve("www"),
        lib.resolve("app"),
        SERVER_RUNTIME.resolve("bin").resolve("java"),
        lib.resolve("lib").resolve("webinfra.jar"));
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
