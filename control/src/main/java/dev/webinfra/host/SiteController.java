package dev.webinfra.host;

import java.util.function.Supplier;

/**
 * Where a site's controller runs and how it is started and stopped: the lab's is a process on this
 * machine ({@code host.lab.LabController}); a server site's is a service on its monitoring host.
 * Commands that change daemons themselves ({@code up}, {@code start}, {@code db promote}) pause it
 * around their work, so the two never race.
 */
public interface SiteController {

  /** Whether the controller runs now. */
  boolean isRunning();

  /** Starts the controller unless it runs, and returns once it has registered. */
  void ensureRunning();

  /** Stops the controller and waits until it is gone. */
  void stop();

  /** Records the calling process as the site's controller (the controller verb, as it starts). */
  void registerSelf();

  /**
   * Whether the controller, once stopped, may run again: the site is still up (its topology copy is
   * there).
   */
  boolean siteIsUp();

  /**
   * Tells the controller that an operator stopped {@code host} (or started it again), where it
   * keeps the site's state apart from this machine's (on a server); the lab's reads this machine's.
   */
  default void hostStopped(String host, boolean stopped) {}

  /**
   * Runs {@code work} with the controller paused, and starts it again afterwards if it was running.
   */
  default <T> T paused(Supplier<T> work) {
    boolean wasRunning = isRunning();
    stop();
    try {
      return work.get();
    } finally {
      if (wasRunning && siteIsUp()) {
        ensureRunning();
      }
    }
  }

  /** As {@link #paused(Supplier)}, for work with no result. */
  default void paused(Runnable work) {
    paused(
        () -> {
          work.run();
          return null;
        });
  }
}
