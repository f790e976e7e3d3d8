package dev.webinfra.lanes;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** The lane of every other lab test ({@link Lanes#REST}, which LanesTest holds it to). */
@Suite
@SelectClasses(
    names = {
      "dev.webinfra.lab.PlanIT",
      "dev.webinfra.lab.SingleServerIT",
      "dev.webinfra.lab.InterruptedUpIT",
      "dev.webinfra.lab.HaClusterIT",
      "dev.webinfra.lab.GaleraRecoveryIT",
      "dev.webinfra.lab.AlertsIT",
      "dev.webinfra.lab.FailoverIT",
      "dev.webinfra.lab.ThreeServersIT",
      "dev.webinfra.dashboard.DashboardBrowserIT"
    })
@ConfigurationParameter(
    key = "junit.jupiter.testclass.order.default",
    value = "dev.webinfra.lanes.LaneOrder")
public class RestLaneIT {}
