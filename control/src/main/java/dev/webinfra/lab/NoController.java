package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteController;
import java.util.function.Consumer;

/**
 * The controller of a site of servers without a monitoring host, where none runs ({@link
 * dev.webinfra.host.ssh.ServerController} runs it on that host): there is none to pause, and none
 * can be started; keepalived moves the floating IP and Galera keeps its quorum on their own, and no
 * replica is moved or promoted automatically.
 */
final class NoController implements SiteController {
  private final String site;
  private final Consumer<String> say;

  /** {@code say} is told, when one is to be started, why none runs. */
  NoController(String site, Consumer<String> say) {
    this.site = site;
    this.say = say;
  }

  @Override
  public boolean isRunning() {
    return false;
  }

  /** None can start, and that is the design's choice, not a failure of the caller: it says so. */
  @Override
  public void ensureRunning() {
    say.accept(why() + ", and a primary-replica database's promotion is db promote's");
  }

  private String why() {
    return "site "
        + site
        + ": no controller runs, since it has no monitoring host to run on; keepalived and"
        + " Galera fail over on their own";
  }

  /** Nothing runs, so nothing is stopped. */
  @Override
  public void stop() {}

  /** The controller verb was started where none belongs. */
  @Override
  public void registerSelf() {
    throw WebinfraException.invalidInput(why());
  }

  @Override
  public boolean siteIsUp() {
    return true;
  }
}
