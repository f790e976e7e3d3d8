package dev.webinfra.load;

import dev.webinfra.WebinfraException;
import java.time.Duration;

/**
 * What one load run does: {@code rate} requests a second for {@code duration}, {@code writePercent}
 * of them writes, over at most {@code connections} connections; a request without an answer after
 * {@code timeout} counts as timed out.
 */
public record LoadOptions(
    Duration duration, int rate, int writePercent, int connections, Duration timeout) {

  /** The largest rate the agent schedules; beyond it one client host is the bottleneck. */
  public static final int MAX_RATE = 20_000;

  /** Validates every field once, naming it and what is allowed. */
  public LoadOptions {
    if (duration == null || duration.toMillis() < 1000 || duration.toHours() > 24) {
      throw WebinfraException.invalidInput(
          "load: --duration must be from 1s to 24h, was " + describe(duration));
    }
    if (rate < 1 || rate > MAX_RATE) {
      throw WebinfraException.invalidInput(
          "load: --rate must be from 1 to " + MAX_RATE + " requests a second, was " + rate);
    }
    if (writePercent < 0 || writePercent > 100) {
      throw WebinfraException.invalidInput(
          "load: --writes must be a percentage from 0 to 100, was " + writePercent);
    }
    if (connections < 1 || connections > 10_000) {
      throw WebinfraException.invalidInput(
          "load: --connections must be from 1 to 10000, was " + connections);
    }
    if (timeout == null || timeout.toMillis() < 100 || timeout.toSeconds() > 600) {
      throw WebinfraException.invalidInput(
          "load: --timeout must be from 100ms to 600s, was " + describe(timeout));
    }
  }

  /** The schedule these options make. */
  public Schedule schedule() {
    return new Schedule(rate, duration.toNanos(), writePercent);
  }

  /**
   * A duration as the CLI takes it: {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}, or plain
   * seconds.
   */
  public static Duration parseDuration(String option, String text) {
    String t = text == null ? "" : text.strip();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.replaceAll("[smh]$", ""));
      return switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    } catch (NumberFormatException e) {
      throw WebinfraException.invalidInput(
          "load: "
              + option
              + " must be a duration such as 20s, 500ms, 2m or 1h, was '"
              + text
              + "'",
          e);
    }
  }

  private static String describe(Duration d) {
    return d == null ? "nothing" : d.toMillis() + " ms";
  }
}
