package dev.webinfra.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.diagram.Graphviz;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.SecondStream;
import dev.webinfra.load.Chromium;
import dev.webinfra.status.LabDashboard;
import dev.webinfra.tls.IssuedCertificate;
import dev.webinfra.tls.LabCa;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in real headless Chromium (Debian's {@code chromium}), served on 127.0.0.1 with
 * fixed data for ha-cluster, opened as {@code webinfra dashboard --open} opens it (a 0600 page that
 * leads to the URL with the token, so the token is on no command line): the token becomes the
 * page's cookie, and the page loads, names every host, shows the open incident (and the one
 * resolved recently) rather than the alerts, draws the design and its graphs. Without the token,
 * Chromium gets the 401 and nothing of the lab. With {@code -Dwebinfra.updateScreenshot=true} it
 * also refreshes {@code docs/images/dashboard.png}.
 */
@SecondStream
class DashboardBrowserIT {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Topology HA =
      TopologyLoader.load(ROOT.resolve("topologies").resolve("ha-cluster.yaml"));

  static final String TOKEN = "Tok3nOfTheLabForTests32charsLong";

  @TempDir Path dir;

  @Test
  void thePageShowsEveryHostTheDesignAndDrawnGraphs() throws Exception {
    assumeTrue(Chromium.available(), "chromium is missing: apt-get install chromium");
    assumeTrue(Graphviz.available(), "Graphviz's dot is missing: apt-get install graphviz");
    LabCa ca = LabCa.loadOrCreate(dir.resolve("ca"), "dash", Clock.systemUTC());
    IssuedCertificate cert =
        ca.issueServer(List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    try (DashboardServer server =
        DashboardServer.start(
            "127.0.0.1",
            0,
            cert.certificatePem() + cert.caCertificatePem(),
            cert.privateKeyPem(),
            new TestDashboardData(HA),
            new DashboardAuth(TOKEN, "webinfra-dash"),
            Clock.systemUTC())) {
      LabLayout layout = new LabLayout("dash", dir.resolve("state"), dir.resolve("run"));
      Files.createDirectories(layout.secretsDir());
      String url =
          LabDashboard.launcher(layout, server.url() + "?token=" + TOKEN).toUri().toString();
      String refused = Chromium.dom(server.url().toString());
      assertThat(refused)
          .as("without the token")
          .contains("401: open the URL that webinfra dashboard prints")
          .doesNotContain("web1", "<svg");
      String dom = Chromium.dom(url, d -> d.contains("data-drawn=\"" + Panels.ALL.size() + "\""));
      for (Host h : HA.hosts()) {
        assertThat(dom)
            .as("host %s is listed", h.name())
            .contains("data-host=\"" + h.name() + "\"");
      }
      assertThat(dom).as("the design is drawn inline").contains("<svg", "class=\"node\"");
      assertThat(dom).as("the VIP holder").contains("held by lb1");
      int open = dom.indexOf("id=\"incidents\"");
      int resolved = dom.indexOf("id=\"resolved\"");
      assertThat(open).as("the open incidents' list").isPositive();
      assertThat(resolved).as("the resolved incidents' list, after it").isGreaterThan(open);
      assertThat(dom.substring(open, resolved))
          .as("the open incident, one row for the group")
          .contains("data-incident=\"HostDown web2\"", "since 12:00:03Z, 1 alert")
          .doesNotContain("ReplicaLagging");
      assertThat(dom.substring(resolved))
          .as("the incident resolved recently")
          .contains("data-incident=\"ReplicaLagging web3\"", "11:50:00Z to 11:52:30Z");
      assertThat(dom)
          .as("incidents, not a flat list of alerts")
          .doesNotContain("node target is down");
      Matcher drawn = Pattern.compile("data-drawn=\"(\\d+)\"").matcher(dom);
      assertThat(drawn.find()).as("the charts section reports what it drew").isTrue();
      assertThat(Integer.parseInt(drawn.group(1)))
          .as("every graph drew data")
          .isEqualTo(Panels.ALL.size());
      int chart = dom.indexOf("id=\"chart-requests\"");
      assertThat(chart).isPositive();
      assertThat(dom.substring(chart, Math.min(dom.length(), chart + 20000)))
          .as("the requests chart has drawn lines")
          .containsPattern("<path d=\"M[0-9.]+ [0-9.]+L");

      Path png = dir.resolve("dashboard.png");
      Chromium.screenshot(url, png);
      assertThat(png).exists();
      assertThat(Files.size(png)).as("a screenshot with content").isGreaterThan(20_000);
      if (Boolean.getBoolean("webinfra.updateScreenshot")) {
        Path target = ROOT.resolve("docs/images/dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
