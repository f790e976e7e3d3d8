package dev.webinfra.witness;

import java.time.Duration;

/**
 * One round of the floating IP's guard, as a pure function (docs/vip.md): from what keepalived's
 * state and the answers of haproxy and the witness were, what the guard asks next and what it tells
 * keepalived.
 *
 * @param missed rounds in a row that haproxy gave no answer, this one included
 * @param track what keepalived's tracked file says: 0 may hold the floating IP, 1 may not
 * @param release whether the guard gives the lease back now (a holder whose haproxy stopped
 *     answering, so that the other LB need not wait for the lease to expire)
 * @param hungHolder whether this LB holds the IP with a hung haproxy: once keepalived has left
 *     MASTER, the guard resets the connections that haproxy holds
 */
public record GuardRound(int missed, int track, boolean release, boolean hungHolder) {
  /** Rounds in a row without haproxy's answer after which the guard holds the LB out. */
  public static final int FALL = 2;

  /**
   * What the guard asks the witness this round: a holder whose haproxy answers renews (or takes)
   * the lease; any other LB only peeks, so a partition leaves the holder alone.
   */
  public static String op(boolean master, int missedBefore) {
    return master && missedBefore < FALL ? "acquire" : "peek";
  }

  /**
   * How long the guard waits before its next round: a round's length, or less when the witness said
   * that another's lease runs out sooner ({@code held HOLDER MS}), so that a standby asks again
   * just after it has run out (a few milliseconds later, for the witness's clock to pass it), not
   * up to a round after.
   */
  public static Duration pause(String witness, Duration round) {
    String[] w = witness.strip().split(" ");
    if (w.length < 3 || !w[0].equals("held")) {
      return round;
    }
    try {
      Duration left = Duration.ofMillis(Long.parseLong(w[2]) + PAST_EXPIRY_MS);
      return left.compareTo(round) < 0 ? left : round;
    } catch (NumberFormatException e) {
      return round;
    }
  }

  /** How long after the lease's end, by the witness's reckoning, a standby asks again. */
  static final long PAST_EXPIRY_MS = 5;

  /**
   * The round after {@code missedBefore} missed rounds, where keepalived was MASTER or not, haproxy
   * answered 200 or not, and the witness answered {@code witness} (empty without an answer).
   */
  public static GuardRound next(
      boolean master, int missedBefore, boolean haproxyAnswered, String witness) {
    int missed = haproxyAnswered ? 0 : missedBefore + 1;
    if (missed >= FALL) {
      return new GuardRound(missed, 1, master, master);
    }
    // Another LB holds a live lease: stay out. No answer from the witness: VRRP alone decides.
    return new GuardRound(missed, witness.startsWith("held") ? 1 : 0, false, false);
  }
}
