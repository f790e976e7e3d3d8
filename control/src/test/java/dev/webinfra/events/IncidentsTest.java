package dev.webinfra.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.controller.AlertNotices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents told by the event log: Alertmanager's bodies go through the controller's {@link
 * AlertNotices} into a real log on a fake clock, and are read back as incidents.
 */
class IncidentsTest {
  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  /** A clock that moves only when told. */
  static final class FakeClock extends Clock {
    Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path dir;
  final FakeClock clock = new FakeClock();

  EventLog log() {
    return new EventLog(dir.resolve("events.log"), clock);
  }

  Incidents.View view() {
    return Incidents.of(log().read(), clock.instant());
  }

  /**
   * Alertmanager's webhook body for the group {@code host}/{@code incident}: {@code status}, and
   * one alert per name, firing unless the group is resolved, each started at {@code startsAt}.
   */
  static String body(
      String status, String host, String incident, Instant startsAt, String... names) {
    StringBuilder alerts = new StringBuilder();
    for (String n : names) {
      alerts
          .append(alerts.isEmpty() ? "" : ",")
          .append("{\"status\":\"")
          .append(status)
          .append("\",\"labels\":{\"alertname\":\"")
          .append(n)
          .append("\",\"host\":\"")
          .append(host)
          .append("\",\"incident\":\"")
          .append(incident)
          .append("\"},\"annotations\":{\"summary\":\"")
          .append(host)
          .append(" is down\"},\"startsAt\":\"")
          .append(startsAt)
          .append("\",\"endsAt\":\"0001-01-01T00:00:00Z\"}");
    }
    return "{\"version\":\"4\",\"groupKey\":\"{}:{host=\\\""
        + host
        + "\\\", incident=\\\""
        + incident
        + "\\\"}\",\"status\":\""
        + status
        + "\",\"receiver\":\"webinfra\",\"groupLabels\":{\"host\":\""
        + host
        + "\",\"incident\":\""
        + incident
        + "\"},\"alerts\":["
        + alerts
        + "]}";
  }

  @Test
  void aFiringGroupOpensOneIncidentSinceItsFirstAlert() {
    AlertNotices notices = new AlertNotices(log());
    Instant started = T0.minusSeconds(6);
    notices.receive(body("firing", "web2", "host-down", started, "HostDown"));

    assertThat(view().open())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.title()).isEqualTo("HostDown web2");
              assertThat(i.host()).isEqualTo("web2");
              assertThat(i.kind()).isEqualTo("host-down");
              assertThat(i.alerts()).isEqualTo(1);
              assertThat(i.since()).as("Alertmanager's startsAt").isEqualTo(started);
              assertThat(i.last()).isEqualTo(T0);
              assertThat(i.open()).isTrue();
            });
    assertThat(view().resolved()).isEmpty();
  }

  @Test
  void aRepeatOfTheSameGroupIsTheSameIncident() {
    AlertNotices notices = new AlertNotices(log());
    notices.receive(body("firing", "web2", "target", T0, "TargetDown"));
    clock.advance(Duration.ofSeconds(5));
    // group_interval later: a second target of web2 joined the group.
    notices.receive(body("firing", "web2", "target", T0, "TargetDown", "TargetDown"));
    clock.advance(Duration.ofHours(4));
    // repeat_interval later: the same again.
    notices.receive(body("firing", "web2", "target", T0, "TargetDown", "TargetDown"));

    assertThat(view().open())
        .as("one incident, however often it pages")
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.title()).isEqualTo("TargetDown web2");
              assertThat(i.alerts()).as("alerts of the last notification").isEqualTo(2);
              assertThat(i.since()).isEqualTo(T0);
              assertThat(i.last()).isEqualTo(clock.instant());
            });
  }

  @Test
  void theResolvedNotificationClosesItAndItIsShownResolvedForAWhile() {
    AlertNotices notices = new AlertNotices(log());
    notices.receive(body("firing", "web2", "host-down", T0, "HostDown"));
    clock.advance(Duration.ofSeconds(40));
    Instant resolvedAt = clock.instant();
    notices.receive(body("resolved", "web2", "host-down", T0, "HostDown"));

    assertThat(view().open()).as("nothing open once resolved").isEmpty();
    assertThat(view().resolved())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.title()).isEqualTo("HostDown web2");
              assertThat(i.since()).isEqualTo(T0);
              assertThat(i.resolved()).isEqualTo(resolvedAt);
              assertThat(i.open()).isFalse();
            });
    clock.advance(Incidents.RECENT);
    assertThat(view().resolved()).as("resolved longer than RECENT ago").isEmpty();
  }

  @Test
  void aGroupThatFiresAgainAfterItsResolutionIsANewIncident() {
    AlertNotices notices = new AlertNotices(log());
    notices.receive(body("firing", "web2", "host-down", T0, "HostDown"));
    clock.advance(Duration.ofMinutes(1));
    notices.receive(body("resolved", "web2", "host-down", T0, "HostDown"));
    clock.advance(Duration.ofMinutes(1));
    Instant again = clock.instant().minusSeconds(4);
    notices.receive(body("firing", "web2", "host-down", again, "HostDown"));

    assertThat(view().open()).extracting(Incidents.Incident::since).containsExactly(again);
    assertThat(view().resolved()).extracting(Incidents.Incident::since).containsExactly(T0);
  }

  @Test
  void twoHostsAreTwoIncidentsTheOldestFirst() {
    AlertNotices notices = new AlertNotices(log());
    notices.receive(body("firing", "web2", "host-down", T0, "HostDown"));
    clock.advance(Duration.ofSeconds(3));
    notices.receive(body("firing", "lb1", "host-down", T0.plusSeconds(3), "HostDown"));
    clock.advance(Duration.ofSeconds(3));
    // web2 repeats: it keeps its place.
    notices.receive(body("firing", "web2", "host-down", T0, "HostDown"));

    assertThat(view().open())
        .extracting(Incidents.Incident::title)
        .containsExactly("HostDown web2", "HostDown lb1");
    notices.receive(body("resolved", "lb1", "host-down", T0, "HostDown"));
    assertThat(view().open())
        .extracting(Incidents.Incident::title)
        .containsExactly("HostDown web2");
  }

  @Test
  void aControllerRestartRebuildsTheOpenIncidentsFromTheLog() {
    AlertNotices before = new AlertNotices(log());
    before.receive(body("firing", "web2", "host-down", T0, "HostDown"));
    before.receive(body("firing", "web3", "replication", T0, "ReplicaNotFollowing"));
    List<Incidents.Incident> open = view().open();

    clock.advance(Duration.ofMinutes(3));
    // A new process: a new log reader and receiver over the same file, nothing kept in memory.
    AlertNotices after = new AlertNotices(log());
    assertThat(Incidents.of(log().read(), clock.instant()).open())
        .as("read back after the restart")
        .isEqualTo(open);
    after.receive(body("resolved", "web2", "host-down", T0, "HostDown"));
    assertThat(view().open())
        .as("a resolution received after the restart closes what fired before it")
        .extracting(Incidents.Incident::title)
        .containsExactly("ReplicaNotFollowing web3");
  }

  @Test
  void otherEntriesAndResolutionsOfUnknownGroupsOpenAndCloseNothing() {
    EventLog log = log();
    log.record("web2", "DeadDaemon", "nginx died; restarted");
    // As logged before incidents were kept: no data.
    log.record("web2", Incidents.CODE, "firing: HostDown (web2 is down)");
    new AlertNotices(log).receive(body("resolved", "web1", "host-down", T0, "HostDown"));

    assertThat(view().open()).isEmpty();
    assertThat(view().resolved()).isEmpty();
  }

  @Test
  void aSiteWideGroupIsTitledWithoutAHostAndWithEveryAlertName() {
    // A site-wide group has no host; the receiver logs "-" for it.
    new AlertNotices(log()).receive(body("firing", "-", "http", T0, "HighHttp5xxRate", "SlowSite"));
    assertThat(view().open())
        .extracting(Incidents.Incident::title)
        .containsExactly("HighHttp5xxRate, SlowSite");
  }
}
