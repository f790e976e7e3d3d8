package dev.webinfra.host.ssh;

import dev.webinfra.host.HostPaths;
import dev.webinfra.host.SiteLayout;
import java.nio.file.Path;

/**
 * Where the control plane keeps a site of servers' local state on the operator's machine ({@code
 * /var/lib/webinfra/sites/NAME}: the topology copy, secrets, the site CA, the event log); on each
 * server, its things are where {@link HostPaths#server()} says.
 */
public record ServerLayout(String lab) implements SiteLayout {
  /** Where sites of servers keep their state on this machine. */
  public static final Path STATE_ROOT = Path.of("/var/lib/webinfra/sites");

  @Override
  public Path labDir() {
    return STATE_ROOT.resolve(lab);
  }

  @Override
  public Path secretsDir() {
    return labDir().resolve("secrets");
  }

  @Override
  public Path eventLog() {
    return labDir().resolve("events.log");
  }

  @Override
  public Path topologyCopy() {
    return labDir().resolve("topology.yaml");
  }

  @Override
  public Path caCertificate() {
    return labDir().resolve("ca.crt");
  }

  @Override
  public HostPaths host(String host) {
    return HostPaths.server();
  }

  /** A server is there whether or not it answers now; whether it does is asked over SSH. */
  @Override
  public boolean namespaceExists(String host) {
    return true;
  }

  /** No controller of a site of servers runs on this machine: it runs on its monitoring host. */
  @Override
  public boolean controllerRunning() {
    return false;
  }

  @Override
  public String title() {
    return "site " + lab;
  }
}
