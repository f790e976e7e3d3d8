package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteController;

/**
 * The controller of a site of servers, which does not run yet: it will be a service on the
 * monitoring host. Until then there is none to pause, and none can be started; keepalived moves the
 * floating IP and Galera keeps its quorum on their own, and no replica is promoted automatically.
 */
final class NoController implements SiteController {
  private final String site;

  NoController(String site) {
    this.site = site;
  }

  @Override
  public boolean isRunning() {
    return false;
  }

  @Override
  public void ensureRunning() {
    throw WebinfraException.invalidInput(
        "site "
            + site
            + ": its controller does not run on its servers yet; keepalived and Galera fail over"
            + " on their own");
  }

  /** Nothing runs, so nothing is stopped. */
  @Override
  public void stop() {}

  @Override
  public void registerSelf() {
    ensureRunning();
  }

  @Override
  public boolean siteIsUp() {
    return true;
  }
}
