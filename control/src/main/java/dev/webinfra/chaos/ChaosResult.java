package dev.webinfra.chaos;

import dev.webinfra.load.LoadResult;
import java.util.List;

/** A chaos run: its scenario, the load's result, the figures per fault, leftovers it undid. */
public record ChaosResult(
    Scenario scenario, LoadResult load, List<FaultResult> faults, List<String> leftovers) {
  /** Copies the lists. */
  public ChaosResult {
    faults = List.copyOf(faults);
    leftovers = List.copyOf(leftovers);
  }

  /** Whether every fault was injected and undone cleanly and no write was lost. */
  public boolean clean() {
    return load.writes().clean()
        && faults.stream()
            .allMatch(f -> f.injection().error() == null && f.injection().undoErrors().isEmpty());
  }
}
