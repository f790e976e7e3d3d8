package dev.webinfra.witness;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The floating IP's lease, as the witness keeps it: one holder at a time, for a time to live that
 * the holder renews. A load balancer that holds the IP acquires (or renews) the lease; one that
 * does not only peeks, and stays out of the way (keepalived's FAULT state) while another holds it.
 */
public final class Lease {
  /**
   * The witness's answer: whether {@code host} may hold the IP, who holds the lease now, and, when
   * another holds it, how long it lasts unless renewed.
   */
  public record Answer(boolean ok, Optional<String> holder, Optional<Duration> left) {
    Answer(boolean ok, Optional<String> holder) {
      this(ok, holder, Optional.empty());
    }

    /**
     * One line: {@code ok HOLDER}, {@code ok -} (free) or {@code held HOLDER MS}, where MS is the
     * milliseconds the lease has left: a standby asks again just as it runs out (a guard that reads
     * only the first two words still works).
     */
    public String line() {
      return (ok ? "ok " : "held ")
          + holder.orElse("-")
          + left.map(d -> " " + Math.max(0, d.toMillis())).orElse("");
    }
  }

  private final InstantSource clock;
  private final Duration ttl;
  private String holder;
  private Instant until = Instant.MIN;

  /** A free lease that lasts {@code ttl} from each acquisition. */
  public Lease(InstantSource clock, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("witness: lease ttl must be positive; found " + ttl);
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = ttl;
  }

  /** Gives {@code host} the lease, or renews it, unless another holds it and it has not expired. */
  public synchronized Answer acquire(String host) {
    Optional<String> other = otherHolder(host);
    if (other.isPresent()) {
      return new Answer(false, other, Optional.of(left()));
    }
    holder = host;
    until = clock.instant().plus(ttl);
    return new Answer(true, Optional.of(host));
  }

  /**
   * Frees the lease if {@code host} holds it: a load balancer that stops holding the IP says so,
   * and the other need not wait for the lease to expire.
   */
  public synchronized Answer release(String host) {
    if (live().filter(host::equals).isPresent()) {
      holder = null;
      until = Instant.MIN;
    }
    return new Answer(true, live());
  }

  /** Whether {@code host} could acquire now; changes nothing. */
  public synchronized Answer peek(String host) {
    Optional<String> other = otherHolder(host);
    if (other.isPresent()) {
      return new Answer(false, other, Optional.of(left()));
    }
    return new Answer(true, live());
  }

  private Duration left() {
    return Duration.between(clock.instant(), until);
  }

  private Optional<String> live() {
    return holder != null && clock.instant().isBefore(until)
        ? Optional.of(holder)
        : Optional.empty();
  }

  private Optional<String> otherHolder(String host) {
    return live().filter(h -> !h.equals(host));
  }
}
