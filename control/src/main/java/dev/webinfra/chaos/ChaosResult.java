package dev.webinfra.chaos;

import dev.webinfra.load.LoadResult;
import java.time.Duration;
import java.util.List;

/**
 * A chaos run: its scenario, the load's result, the figures per fault, leftovers it undid, and the
 * floating IP's double holding.
 *
 * @param vipDoubleHolding how long two load balancers or more held the floating IP at once, in all,
 *     as {@link VipWatch} saw it every 50 ms (zero without a floating IP)
 * @param vipEpisodes when each stretch of double holding began (seconds from the load's start), how
 *     long it lasted and who held the IP
 */
public record ChaosResult(
    Scenario scenario,
    LoadResult load,
    List<FaultResult> faults,
    List<String> leftovers,
    Duration vipDoubleHolding,
    List<String> vipEpisodes) {
  /** Copies the lists. */
  public ChaosResult {
    faults = List.copyOf(faults);
    leftovers = List.copyOf(leftovers);
    vipEpisodes = List.copyOf(vipEpisodes);
  }

  /** A run without a floating IP watch. */
  public ChaosResult(
      Scenario scenario, LoadResult load, List<FaultResult> faults, List<String> leftovers) {
    this(scenario, load, faults, leftovers, Duration.ZERO, List.of());
  }

  /** Whether every fault was injected and undone cleanly and no write was lost. */
  public boolean clean() {
    return load.writes().clean()
        && faults.stream()
            .allMatch(f -> f.injection().error() == null && f.injection().undoErrors().isEmpty());
  }
}
