package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.lab.SecondStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report renders in a real browser, offline: chart, fault regions, tables. */
@SecondStream
class HtmlReportChromiumIT {

  @Test
  void theReportDrawsItsTimelineAndRegionsInHeadlessChromium(@TempDir Path dir) throws Exception {
    Chromium.assumeInstalled();
    Path html = dir.resolve("report.html");
    Files.writeString(
        html,
        HtmlReport.render(
            "load report",
            ReportsTest.sample(),
            List.of(new HtmlReport.Region("stop web1", 1.0, 2.0)),
            HtmlReport.summary(ReportsTest.sample())));
    Path png = dir.resolve("report.png");

    String dom = Chromium.render(html, png);

    assertThat(dom)
        .as("the script ran to its end")
        .contains("data-rendered=\"timeline\"")
        .as("ECharts drew an SVG with the legend and the region's label")
        .contains("<svg")
        .contains("failed/s")
        .contains("p99 ms")
        .contains("stop web1")
        .contains("<caption>Writes</caption>");
    assertThat(Files.size(png)).as("screenshot %s", png).isGreaterThan(10_000);
  }
}
