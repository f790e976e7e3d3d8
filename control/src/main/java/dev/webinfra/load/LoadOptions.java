package dev.webinfra.load;

import dev.webinfra.WebinfraException;
import java.time.Duration;

/**
 * What one load run does: {@code rate} requests a second for {@code duration}, {@code writePercent}
 * of them writes, over at most {@code connections} connections; a request without an answer after
 * {@code timeout} counts as timed out. A request whose connection was reset or closed before any
 * answer is sent again up to {@code retries} times (RFC 9110 section 9.2.2: every request load
 * sends is idempotent, a GET or a write with an Idempotency-Key); the report counts each retry.
 */
public record LoadOptions(
    Duration duration, int rate, int writePercent, int connections, Duration timeout, int retries) {

  /** At most this many retries of one request. */
  public static final int MAX_RETRIES = 3;

  /** Options with the default of one retry. */
  public LoadOptions(
      Duration duration, int rate, int writePercent, int connections, Duration timeout) {
    this(duration, rate, writePercent, connections, timeout, 1);
  }

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
    if (retries < 0 || retries > MAX_RETRIES) {
      throw WebinfraException.invalidInput(
          "load: --retries must be from 0 to " + MAX_RETRIES + ", was " + retries);
    }
  }

  /** The schedule these options make. */
  public Schedule schedule() {
    return new Schedule(rate, duration.toNanos(), writePercent);
  }

  private static String describe(Duration d) {
    return d == null ? "nothing" : d.toMillis() + " ms";
  }
}
