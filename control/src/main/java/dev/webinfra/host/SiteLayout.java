package dev.webinfra.host;

import java.nio.file.Path;

/**
 * Where the control plane keeps one site's local state on this machine, whatever driver reaches its
 * hosts: the topology it was brought up from, its secrets, its event log, its state files and its
 * controller. Services and verbs see only this; a driver's own layout implements it.
 */
public interface SiteLayout {

  /** The site's name (a lab's name): every name the driver makes carries it. */
  String lab();

  /** The site's state directory: topology copy, secrets, state files, one directory per host. */
  Path labDir();

  /** Per-site secrets, 0700, files 0600. */
  Path secretsDir();

  /** The site's event log: what the controller and operators did. */
  Path eventLog();

  /** The topology the site was brought up from. */
  Path topologyCopy();

  /**
   * The site CA's own directory among the secrets: its key and certificate ({@code ca.key}, {@code
   * ca.crt}), from which the hosts' and the dashboard's certificates are issued.
   */
  default Path caDir() {
    return secretsDir().resolve("ca");
  }

  /** The site CA's certificate, public, for a browser or curl on the machine. */
  Path caCertificate();

  /** A host's state directory. */
  HostPaths host(String host);

  /**
   * Whether a host is there at all (in the lab, its network namespace exists): a file test, cheap
   * enough for every tick of a loop.
   */
  boolean namespaceExists(String host);

  /**
   * Where the site's controller records the URL of the dashboard it serves, in the site's directory
   * where it runs (a site of servers': on its monitoring host).
   */
  default Path dashboardUrl() {
    return labDir().resolve("dashboard.url");
  }

  /** Whether the site's controller runs now. */
  boolean controllerRunning();

  /** What the operator calls it in a sentence: "lab NAME", or "site NAME" for one of servers. */
  default String title() {
    return "lab " + lab();
  }
}
