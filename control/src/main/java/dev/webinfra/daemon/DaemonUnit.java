package dev.webinfra.daemon;

import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;

/**
 * Everything webinfra knows about one kind of daemon: where it runs, and (through its {@link
 * DaemonSpec}) its files, command line, readiness, reload and what to do before it starts. Adding a
 * daemon means one package with its unit and renderer, and one line in {@code plan.Units}.
 */
public interface DaemonUnit {

  /** The daemon's name in plans, status and {@code logs HOST NAME}: {@code haproxy}. */
  String name();

  /** Whether the daemon runs on {@code host} of {@code t}. */
  boolean runsOn(Topology t, Host host);

  /** The Debian packages the daemon comes from; setup installs them with the lab's tools. */
  default java.util.List<String> packages() {
    return java.util.List.of();
  }

  /** What the daemon is on one host; a pure function of the model and the host's paths. */
  DaemonSpec spec(Topology t, Host host, HostPaths paths);
}
