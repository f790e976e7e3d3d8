package dev.webinfra.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.dashboard.DashboardStatus;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.site.LabState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabDashboardTest {
  @TempDir Path dir;

  private static HostStatus host(String name, boolean up, ComponentStatus... components) {
    return new HostStatus(
        name,
        List.of("web"),
        Map.of("private", "198.18.7.21"),
        up,
        List.of(components),
        new HostStatus.Firewall(false, null));
  }

  @Test
  void aPowerCutHostIsDownAndAStoppedOneStoppedWithTheirDaemons() {
    LabLayout layout = new LabLayout("dash", dir.resolve("state"), dir.resolve("run"));
    LabState state = new LabState(layout);
    state.setStopped("web2", true);
    LabStatus s =
        new LabStatus(
            "dash",
            new LabStatus.Site(
                List.of("www.foobar.com"), "198.18.6.100", "https://www.foobar.com/"),
            List.of(
                host(
                    "web1",
                    true,
                    new ComponentStatus("nginx", "running", "pid 10", null),
                    new ComponentStatus("app", "degraded", "pid 11", null),
                    new ComponentStatus("mariadb", "stopped", null, null)),
                host("web2", false, new ComponentStatus("nginx", "stopped", null, null)),
                host("web3", false, new ComponentStatus("nginx", "stopped", null, null))),
            new LabStatus.VipStatus("198.18.6.100", List.of("lb1")),
            new LabStatus.DatabaseStatus(
                "primary-replica",
                List.of("web1"),
                List.of(
                    new LabStatus.ReplicaStatus(
                        "web3", 2L, "0-1-5", "0-1-4", "web2", "Yes", "Yes", "following")),
                null),
            List.of(new LabStatus.Alert("TargetDown", "web3", "critical", "web3 is down", "t")),
            null,
            List.of(
                new LabStatus.Incident(
                    "HostDown web3", "web3", "host-down", 1, "2026-12-04T12:00:00Z", null)));

    DashboardStatus d = LabDashboard.convert(s, state);

    assertThat(d.hosts())
        .extracting(DashboardStatus.HostState::state)
        .containsExactly("up", "stopped", "down");
    assertThat(d.hosts().get(0).daemons())
        .containsEntry("nginx", "up")
        .containsEntry("app", "starting")
        .as("a daemon dead on a host that is up")
        .containsEntry("mariadb", "down");
    assertThat(d.hosts().get(2).daemons()).containsEntry("nginx", "stopped");
    assertThat(d.vipHolder()).isEqualTo("lb1");
    assertThat(d.dbPrimaries()).containsExactly("web1");
    assertThat(d.replicas())
        .as("the source web3 reports, not the primary")
        .containsExactly(
            new DashboardStatus.ReplicaLag("web3", "web2", 2.0, "Yes", "Yes", "following"));
    assertThat(d.alerts()).extracting(DashboardStatus.Alert::instance).containsExactly("web3");
    assertThat(d.incidents())
        .containsExactly(
            new DashboardStatus.Incident(
                "HostDown web3", "web3", "host-down", 1, "2026-12-04T12:00:00Z", null));
  }

  @Test
  void onlyFiringAlertsAreReportedAndAnErrorIsNotNone() {
    String body =
        """
        {"status":"success","data":{"alerts":[
          {"labels":{"alertname":"TargetDown","instance":"web2","severity":"critical"},
           "annotations":{"summary":"web2: node is down"},"state":"firing",
           "activeAt":"2026-11-23T17:06:25Z","value":"0e+00"},
          {"labels":{"alertname":"HighP99Latency","instance":"web1","severity":"warning"},
           "annotations":{"summary":"slow"},"state":"pending","activeAt":"2026-11-23T17:06:25Z"}]}}
        """;

    assertThat(PrometheusApi.parseAlerts(body))
        .hasValue(
            List.of(
                new LabStatus.Alert(
                    "TargetDown",
                    "web2",
                    "critical",
                    "web2: node is down",
                    "2026-11-23T17:06:25Z")));
    assertThat(PrometheusApi.parseAlerts("{\"status\":\"error\"}")).isEmpty();
    assertThat(PrometheusApi.parseAlerts("<html>")).isEmpty();
  }

  @Test
  void theLauncherHoldsTheTokenIn0600AndLeadsToTheUrl() throws Exception {
    LabLayout layout = new LabLayout("dash", dir.resolve("state"), dir.resolve("run"));
    java.nio.file.Files.createDirectories(layout.secretsDir());
    String url = "https://127.0.0.1:8443/?token=Tok3nOfTheLabForTests32charsLong";

    java.nio.file.Path page = LabDashboard.launcher(layout, url);
    java.nio.file.Path again = LabDashboard.launcher(layout, url);

    assertThat(again).as("written again in place").isEqualTo(page);
    assertThat(page.getParent()).isEqualTo(layout.secretsDir());
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(page)))
        .isEqualTo("rw-------");
    assertThat(java.nio.file.Files.readString(page))
        .contains("<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">");
  }
}
