package dev.webinfra.lanes;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/** The lane of the tests that load the site ({@link Lanes#LOAD}, which LanesTest holds it to). */
@Suite
@SelectClasses(
    names = {
      "dev.webinfra.lab.MaintenanceIT",
      "dev.webinfra.chaos.ChaosIT",
      "dev.webinfra.load.KeyedWritesIT",
      "dev.webinfra.chaos.VipIT",
      "dev.webinfra.lab.DnsRedundancyIT",
      "dev.webinfra.load.LoadIT",
      "dev.webinfra.load.HtmlReportChromiumIT"
    })
@ConfigurationParameter(
    key = "junit.jupiter.testclass.order.default",
    value = "dev.webinfra.lanes.LaneOrder")
public class LoadLaneIT {}
