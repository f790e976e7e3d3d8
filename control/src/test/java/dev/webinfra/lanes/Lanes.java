package dev.webinfra.lanes;

import java.util.List;

/**
 * The two lanes in which the build runs the lab integration tests side by side, one JVM each
 * (failsafe's {@code it.forks}, 2 by default): each IT class brings up a lab of its own name and
 * addresses ({@code LabRanges}), so two labs can run at once. One lane holds the tests that measure
 * the site under load (failed requests, lost writes, faults injected on time), the other the rest,
 * so that two load runs never share the machine's two cores; the lanes' times are about equal.
 * Within a lane, classes run in the order listed ({@link LaneOrder}). {@code LanesTest} fails if an
 * IT class is in no lane, or in both.
 */
public final class Lanes {
  private Lanes() {}

  /** The tests that load the site and count what failed. */
  static final List<String> LOAD =
      List.of(
          "dev.webinfra.lab.MaintenanceIT",
          "dev.webinfra.chaos.ChaosIT",
          "dev.webinfra.load.KeyedWritesIT",
          "dev.webinfra.chaos.VipIT",
          "dev.webinfra.lab.DnsRedundancyIT",
          "dev.webinfra.load.LoadIT",
          "dev.webinfra.load.HtmlReportChromiumIT");

  /** Everything else: the labs' behaviour, recovery, monitoring and the small presets. */
  static final List<String> REST =
      List.of(
          "dev.webinfra.lab.PlanIT",
          "dev.webinfra.lab.SingleServerIT",
          "dev.webinfra.lab.InterruptedUpIT",
          "dev.webinfra.lab.HaClusterIT",
          "dev.webinfra.lab.GaleraRecoveryIT",
          "dev.webinfra.lab.AlertsIT",
          "dev.webinfra.lab.FailoverIT",
          "dev.webinfra.lab.ThreeServersIT",
          "dev.webinfra.dashboard.DashboardBrowserIT");

  /** A class's place in its lane; classes of no lane go last. */
  static int position(String className) {
    int i = LOAD.indexOf(className);
    if (i < 0) {
      i = REST.indexOf(className);
    }
    return i < 0 ? Integer.MAX_VALUE : i;
  }
}
