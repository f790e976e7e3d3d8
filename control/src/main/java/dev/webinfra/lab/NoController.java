package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteController;

/**
 * The controller of a site of servers without a monitoring host, where none runs ({@link
 * dev.webinfra.host.ssh.ServerController} runs it on that host): there is none to pause, and none
 * can be started; keepalived moves the floating IP and Galera keeps its quorum on their own, and no
 * replica is moved or promoted automatically.
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
            + ": no controller runs, since it has no monitoring host to run on; keepalived and"
            + " Galera fail over on their own");
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
