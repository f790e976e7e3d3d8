package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.controller.AlertNotices;
import dev.webinfra.events.Event;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.load.Chromium;
import dev.webinfra.status.LabDashboard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * One fault, one page, on a real ha-cluster lab: a power cut of web2 reaches the controller's
 * receiver as exactly one notification, HostDown web2, which Alertmanager's API lists as its only
 * active un-inhibited alert, and {@code status --json} and the live dashboard's API as their one
 * open incident, status names its TargetDown, and the live dashboard in Chromium shows it; {@code
 * start web2} resolves it with one more, which closes the incident. Times are measured by hand and
 * in docs/monitoring.md, not asserted here.
 */
// First in the second stream (its Order), on a lab no fault has touched.
@LabTest(value = AlertsIT.LAB, fresh = true)
@Order(1)
@SecondStream
class AlertsIT {
  static final String LAB = "itside";
  static LabFixture lab;

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
  }

  static List<Event> notificationsAboutWeb2Since(Instant from) {
    return new EventLog(LabLayout.of(LAB).eventLog(), Clock.systemUTC())
        .since(from).stream()
            .filter(e -> e.code().equals(AlertNotices.CODE))
            .filter(e -> e.host().equals("web2") || e.message().contains("web2"))
            .toList();
  }

  static List<String> activeUninhibited() throws Exception {
    String body =
        lab.exec(
                "mon",
                "curl",
                "-sf",
                "--max-time",
                "2",
                "http://"
                    + lab.ip("198.18.7.30")
                    + ":9093/api/v2/alerts?active=true&inhibited=false&silenced=false")
            .stdout();
    List<String> out = new ArrayList<>();
    for (JsonNode a : new ObjectMapper().readTree(body)) {
      out.add(
          a.path("labels").path("alertname").asText()
              + " "
              + a.path("labels").path("host").asText("-"));
    }
    return out;
  }

  @Test
  void aPowerCutOfWeb2PagesOnceAndItsStartResolvesIt() throws Exception {
    // A lab just up may still report its cold start (slow first requests): wait until it is quiet.
    await("nothing about web2 active before the cut")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> activeUninhibited().stream().noneMatch(a -> a.endsWith(" web2")));
    Instant cut = Instant.now();
    lab.ok("stop", "web2");
    await("HostDown web2 at the controller's receiver")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !notificationsAboutWeb2Since(cut).isEmpty());
    Instant paged = Instant.now();
    assertThat(activeUninhibited())
        .as("Alertmanager's only active, un-inhibited alert")
        .containsExactly("HostDown web2");
    theLiveDashboardShowsTheIncident();
    // 12 s after the page, longer than group_wait and group_interval: any other page about web2
    // would have come, and the alerts HostDown inhibits have fired. Chromium's look at the live
    // dashboard takes part of that wait.
    LabFixture.sleep(
        Math.max(0, Duration.between(Instant.now(), paged.plusSeconds(12)).toMillis()));
    assertThat(notificationsAboutWeb2Since(cut))
        .as("one page for the power cut")
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("firing: HostDown"));
    assertThat(MonitoringChecks.incidents(LAB, true))
        .as("status's open incidents: one, for the one page")
        .containsExactly("HostDown web2");
    JsonNode dashboard = MonitoringChecks.dashboardStatus(LAB);
    assertThat(MonitoringChecks.titles(dashboard.path("incidents"), true))
        .as("the live dashboard's open incidents")
        .containsExactly("HostDown web2");
    assertThat(dashboard.path("incidents").get(0).path("alerts").asInt())
        .as("the alerts the page covers: HostDown only, the rest inhibited")
        .isEqualTo(1);
    assertThat(MonitoringChecks.alertsNaming(LAB, "web2"))
        .as("firing alerts naming web2 in status")
        .contains("TargetDown");
    lab.ok("start", "web2");
    await("HostDown web2 resolved at the receiver")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> notificationsAboutWeb2Since(cut).size() >= 2);
    LabFixture.sleep(12_000);
    List<Event> pages = notificationsAboutWeb2Since(cut);
    assertThat(pages).as("one more page, for the start").hasSize(2);
    assertThat(pages.get(1).message()).isEqualTo("resolved: resolved HostDown (web2 is down)");
    assertThat(MonitoringChecks.incidents(LAB, true))
        .as("status's open incidents once resolved: none about web2")
        .noneMatch(i -> i.endsWith(" web2"));
    JsonNode resolved = MonitoringChecks.dashboardStatus(LAB);
    assertThat(MonitoringChecks.titles(resolved.path("incidents"), true))
        .as("the live dashboard's open incidents once resolved: none about web2")
        .noneMatch(i -> i.endsWith(" web2"));
    assertThat(MonitoringChecks.titles(resolved.path("incidents"), false))
        .as("the live dashboard's incidents resolved recently (a cold start's may be there too)")
        .contains("HostDown web2");
    assertThat(MonitoringChecks.alertsNaming(LAB, "web2"))
        .as("TargetDown for web2 resolves after start")
        .doesNotContain("TargetDown");
    // web2's return makes web1 its Galera donor. It rejoins by IST (its start script recovers its
    // position), which leaves web1 serving and healthy: nothing about web1 pages. (It did while
    // web2 asked for a full rsync SST, which locked web1 for its load balancers' checks.)
    assertThat(
            new EventLog(LabLayout.of(LAB).eventLog(), Clock.systemUTC())
                .since(cut).stream()
                    .filter(e -> e.code().equals(AlertNotices.CODE))
                    .filter(e -> e.message().startsWith("firing"))
                    .filter(e -> e.host().equals("web1") || e.message().contains("web1"))
                    .map(Event::message)
                    .toList())
        .as("pages about web1, web2's donor, since the cut")
        .isEmpty();
  }

  /**
   * The live dashboard, as {@code dashboard --open} shows it: on the machine's loopback with the
   * lab CA's certificate, wanting the token; Chromium opens a 0600 page that leads to it with the
   * token, and the page lists every host, draws the design and every panel, and shows web2's
   * incident.
   */
  static void theLiveDashboardShowsTheIncident() throws Exception {
    // Chromium is one of the packages a lab test needs (LabFixture#assumeLabCanRun): no skip here.
    String url = MonitoringChecks.dashboardUrl(LAB);
    assertThat(url).as("on the machine's loopback").startsWith("https://127.0.0.1:");
    assertThat(HaClusterIT.fromMachineOf(LAB, url, "/"))
        .as("the dashboard's certificate is the lab CA's, and it wants the token")
        .isEqualTo("401");
    LabLayout layout = LabLayout.of(LAB);
    String dom =
        Chromium.dom(
            LabDashboard.launcher(layout, LabDashboard.urlWithToken(layout).orElseThrow())
                .toUri()
                .toString(),
            d -> d.contains("data-drawn=\"" + dev.webinfra.dashboard.Panels.ALL.size() + "\""));
    for (String h : List.of("lb1", "lb2", "web1", "web2", "web3", "mon", "dns", "dns2", "client")) {
      assertThat(dom).as("host %s is listed", h).contains("data-host=\"" + h + "\"");
    }
    assertThat(dom).as("the design is drawn live").contains("<svg", "class=\"node\"");
    assertThat(dom).as("the incident of web2").contains("data-incident=\"HostDown web2\"");
    Matcher drawn = Pattern.compile("data-drawn=\"(\\d+)\"").matcher(dom);
    assertThat(drawn.find()).as("the charts section reports what it drew").isTrue();
    assertThat(Integer.parseInt(drawn.group(1)))
        .as("graphs drawn from live data")
        .isEqualTo(dev.webinfra.dashboard.Panels.ALL.size());
  }
}
