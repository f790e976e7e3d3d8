package dev.webinfra.host;

import dev.webinfra.wait.Poll;

/**
 * Makes what one kind of host driver needs for a site: where its local state lives on this machine
 * and the driver that reaches its hosts. Verbs, the controller and the services take these from the
 * one factory that picks the driver, and never name a driver themselves.
 */
public interface DriverFactory {

  /** Where the control plane keeps site {@code site}'s local state on this machine. */
  SiteLayout layout(String site);

  /** The driver that reaches the site's hosts, waiting with {@code poll}. */
  HostDriver driver(SiteLayout layout, Poll poll);
}
