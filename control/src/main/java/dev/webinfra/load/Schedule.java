package dev.webinfra.load;

/**
 * The open-loop schedule: request {@code n} is due {@code n / rate} seconds after the start,
 * whatever happened to the requests before it, so a stall shows as latency and failures and never
 * as a slower rate. Writes are spread evenly: of any 100 consecutive requests, {@code writePercent}
 * write.
 */
public record Schedule(int rate, long durationNanos, int writePercent) {
  private static final long NANOS = 1_000_000_000L;

  /** How many requests the run sends: every one due before the end. */
  public long count() {
    // ceil(duration * rate / 1s), in integers so that 20 s at 100/s is exactly 2000.
    return (durationNanos * rate + NANOS - 1) / NANOS;
  }

  /** When request {@code n} (from 0) is due, in nanoseconds after the start. */
  public long dueNanos(long n) {
    // Multiply first: rounding each interval would drift by up to a nanosecond a request.
    return n * NANOS / rate;
  }

  /**
   * Whether request {@code n} writes: the share of writes among the first n+1 rises past a step.
   */
  public boolean isWrite(long n) {
    return (n + 1) * writePercent / 100 > n * writePercent / 100;
  }

  /** How many of the first {@code count()} requests write. */
  public long writes() {
    return count() * writePercent / 100;
  }

  /** The second of the run (from 0) a request due at {@code dueNanos} belongs to. */
  public static int secondOf(long dueNanos) {
    return (int) (dueNanos / NANOS);
  }

  /** How many whole or partial seconds the run spans. */
  public int seconds() {
    return (int) ((durationNanos + NANOS - 1) / NANOS);
  }
}
