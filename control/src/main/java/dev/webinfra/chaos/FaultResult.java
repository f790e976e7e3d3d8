package dev.webinfra.chaos;

import java.util.List;

/**
 * The figures of one fault: when it was injected, how long the site took to recover (null when it
 * did not within the fault's window), the requests that failed and the acknowledged writes lost in
 * its window, and what the event log and the floating IP show meanwhile.
 */
public record FaultResult(
    Injection injection,
    Double recoveredAfterS,
    long failedRequests,
    long lostWrites,
    int windowFromS,
    int windowToS,
    List<String> happened) {
  /** Copies the list. */
  public FaultResult {
    happened = List.copyOf(happened);
  }

  /** The fault's name. */
  public String name() {
    return injection.spec().name();
  }
}
