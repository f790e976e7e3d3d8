package dev.webinfra.chaos;

import java.time.Duration;
import java.util.List;

/**
 * A chaos scenario as validated from its file: the preset it is written for, the load to run, and
 * the faults to inject, in the order of their injection.
 */
public record Scenario(String source, String preset, Load load, List<FaultSpec> faults) {
  /** Copies the list, sorted by injection time (a stable sort keeps the file's order on ties). */
  public Scenario {
    faults =
        faults.stream()
            .sorted(java.util.Comparator.comparing(FaultSpec::at))
            .collect(java.util.stream.Collectors.toUnmodifiableList());
  }

  /** The load that runs while the faults are injected. */
  public record Load(int rate, int writePercent, Duration duration) {}
}
