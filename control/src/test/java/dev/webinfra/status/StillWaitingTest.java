package dev.webinfra.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status shows what the last start left waiting only while the daemon named is not running. */
class StillWaitingTest {
  static final String JOINS = "mariadb on web2 joins the cluster from web1 (state transfer)";
  static final String APP = "app on web2 waits for its database (" + JOINS + ")";

  static HostStatus web2(String mariadb, String app) {
    return new HostStatus(
        "web2",
        List.of("web", "app", "db"),
        Map.of(),
        true,
        List.of(
            new ComponentStatus("mariadb", mariadb, "pid 10", null),
            new ComponentStatus("app", app, "pid 11", "1")),
        new HostStatus.Firewall(true, 0L));
  }

  @Test
  void aWaitIsShownWhileItsDaemonIsNotRunning() {
    assertThat(
            LabStatusReader.stillWaiting(
                List.of(JOINS, APP), List.of(web2("degraded", "degraded"))))
        .containsExactly(JOINS, APP);
  }

  @Test
  void aWaitWhoseDaemonRunsIsDropped() {
    assertThat(
            LabStatusReader.stillWaiting(List.of(JOINS, APP), List.of(web2("running", "degraded"))))
        .containsExactly(APP);
    assertThat(
            LabStatusReader.stillWaiting(List.of(JOINS, APP), List.of(web2("running", "running"))))
        .isEmpty();
  }

  @Test
  void aLineThatNamesNoDaemonOfAKnownHostIsKept() {
    String warning = "warning: bootstrapping from web1 although web2's position is unknown";
    assertThat(
            LabStatusReader.stillWaiting(
                List.of(warning, "mariadb on web9 waits for a quorum"),
                List.of(web2("running", "running"))))
        .containsExactly(warning, "mariadb on web9 waits for a quorum");
  }
}
