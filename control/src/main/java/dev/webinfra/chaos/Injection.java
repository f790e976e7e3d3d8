package dev.webinfra.chaos;

import java.util.List;

/**
 * What happened to one fault in a run, in seconds from the start of the load: when it was injected
 * and undone, what injecting did, what undoing left (errors), and whether it failed.
 */
public record Injection(
    FaultSpec spec,
    double atS,
    double undoneS,
    String done,
    String error,
    List<String> undoErrors) {
  /** Copies the list. */
  public Injection {
    undoErrors = List.copyOf(undoErrors);
  }

  /**
   * When the fault is to be undone, from the start of the load: its whole {@code duration} after it
   * was injected, and not before its scheduled end. A fault injected late, because the one before
   * took long to undo, still lasts as long as the scenario says.
   */
  public java.time.Duration undoAt() {
    java.time.Duration injected =
        java.time.Duration.ofNanos(Math.round(atS * 1e9)).plus(spec.duration());
    return injected.compareTo(spec.end()) > 0 ? injected : spec.end();
  }
}
