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
}
