package dev.webinfra.host;

import dev.webinfra.wait.Poll;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Makes what one kind of host driver needs for a site: where its local state lives on this machine,
 * the driver that reaches its hosts, what they stand on and its controller. Verbs, the controller
 * and the services take these from the one factory that picks the driver, and never name a driver
 * themselves.
 */
public interface DriverFactory {

  /**
   * Where the control plane keeps the state of every site on this machine: one directory per site
   * ({@link SiteLayout#labDir()}).
   */
  Path stateRoot();

  /** Where the control plane keeps site {@code site}'s local state on this machine. */
  SiteLayout layout(String site);

  /** The driver that reaches the site's hosts, waiting with {@code poll}. */
  HostDriver driver(SiteLayout layout, Poll poll);

  /**
   * What the site's hosts stand on (its networks, the hosts themselves, the machine's guard against
   * them), waiting with {@code poll} and telling each step it takes to {@code progress}.
   */
  SiteFabric fabric(SiteLayout layout, Poll poll, Consumer<String> progress);

  /** The site's controller, waited for on {@code poll}. */
  SiteController controller(SiteLayout layout, Poll poll);
}
