package dev.webinfra.daemon;

import java.time.Duration;
import java.util.Objects;

/**
 * How a daemon is stopped: {@code signal} (without SIG) to it, then, if it has not exited after
 * {@code grace}, KILL.
 */
public record Stop(String signal, Duration grace) {
  /** TERM, and KILL after 10 s: what every daemon of ours takes today. */
  public static final Stop DEFAULT = new Stop("TERM", Duration.ofSeconds(10));

  public Stop {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(grace, "grace");
    if (!signal.matches("[A-Z0-9]+") || grace.isNegative()) {
      throw new IllegalArgumentException(
          "stop " + signal + " " + grace + ": not a signal and grace");
    }
  }
}
