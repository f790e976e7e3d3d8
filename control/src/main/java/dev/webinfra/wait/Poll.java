package dev.webinfra.wait;

import dev.webinfra.WebinfraException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way webinfra waits: try until a deadline, at an interval, with the time from an injected
 * clock and a snapshot of the state in the timeout's message. Interrupts always end a wait with an
 * error and the thread's interrupt flag set.
 */
public final class Poll {
  /** Sleeps; tests pass one that advances a fake clock instead. */
  public interface Sleeper {
    /** Sleeps for {@code d}. */
    void sleep(Duration d) throws InterruptedException;
  }

  private final Clock clock;
  private final Sleeper sleeper;

  public Poll(Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Polling on the system clock with real sleeps. */
  public static Poll system() {
    return new Poll(
        Clock.systemUTC(), d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
  }

  /** The clock this poll reads. */
  public Clock clock() {
    return clock;
  }

  /**
   * Tries {@code attempt} until it yields a value, and returns it; after {@code timeout} fails with
   * {@code what}, the time waited and {@code snapshot}'s description of the state. An exception
   * from the attempt ends the wait at once.
   */
  public <T> T until(
      String what,
      Duration timeout,
      Duration interval,
      Supplier<Optional<T>> attempt,
      Supplier<String> snapshot) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<T> v = attempt.get();
      if (v.isPresent()) {
        return v.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw WebinfraException.unexpectedState(
            what + ": not after " + seconds(timeout) + " (" + snapshot.get() + ")");
      }
      sleep(interval);
    }
  }

  /** As {@link #until}, for a condition. */
  public void until(
      String what,
      Duration timeout,
      Duration interval,
      BooleanSupplier condition,
      Supplier<String> snapshot) {
    until(
        what,
        timeout,
        interval,
        () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
        snapshot);
  }

  /** Waits for {@code condition} at most {@code timeout}; returns whether it came true. */
  public boolean within(Duration timeout, Duration interval, BooleanSupplier condition) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (!clock.instant().isBefore(deadline)) {
        return false;
      }
      sleep(interval);
    }
  }

  /** Sleeps for {@code d}; an interrupt becomes an error, with the interrupt flag kept. */
  public void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("interrupted while waiting", e);
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
