package dev.webinfra.daemon;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A command run inside a host, with what it is for (shown when it fails). */
public record Step(String what, List<String> command) {
  public Step {
    Objects.requireNonNull(what, "what");
    command = List.copyOf(command);
  }

  /** A step from its description and its command's words. */
  public static Step of(String what, String... command) {
    return new Step(what, List.of(command));
  }

  /**
   * Runs the steps before {@code d}'s start on its host, in order, each within {@code timeout}; the
   * first that fails fails, named with what it printed.
   */
  public static void runBefore(HostDriver driver, DaemonSpec d, Duration timeout) {
    for (Step s : d.beforeStart()) {
      ExecResult r = driver.exec(d.host(), s.command(), null, timeout);
      if (!r.ok()) {
        throw WebinfraException.unexpectedState(
            d.id() + ": " + s.what() + " failed: " + r.describe());
      }
    }
  }
}
