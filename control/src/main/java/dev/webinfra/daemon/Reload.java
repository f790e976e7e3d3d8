package dev.webinfra.daemon;

import java.util.List;
import java.util.Objects;

/**
 * How a running daemon takes a new config without a restart: a signal to its process, a command in
 * its host, or nothing (it must restart). A reload is only used when the command line is unchanged.
 */
public record Reload(Kind kind, String signal, List<String> command) {
  /** The ways a daemon can reload. */
  public enum Kind {
    /** It cannot: a config change restarts it. */
    RESTART,
    /** A signal to the daemon's pid, such as {@code HUP}. */
    SIGNAL,
    /** A command run in the host, such as a master CLI call. */
    COMMAND
  }

  public Reload {
    Objects.requireNonNull(kind, "kind");
    command = List.copyOf(command);
  }

  /** A config change restarts the daemon. */
  public static Reload restart() {
    return new Reload(Kind.RESTART, null, List.of());
  }

  /** A config change is applied by sending {@code signal} (without SIG) to the daemon's pid. */
  public static Reload signal(String signal) {
    return new Reload(Kind.SIGNAL, signal, List.of());
  }

  /** A config change is applied by running {@code command} in the host. */
  public static Reload command(List<String> command) {
    return new Reload(Kind.COMMAND, null, command);
  }
}
