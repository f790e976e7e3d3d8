package dev.webinfra.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.events.EventLog;
import dev.webinfra.events.Incidents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's alert receiver: token checked, each notification logged, incidents kept. */
class AlertWebhookTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

  static final String FIRING =
      """
      {"version":"4","groupKey":"{}:{host=\\"web2\\", incident=\\"host-down\\"}","status":"firing",
       "receiver":"webinfra","groupLabels":{"host":"web2","incident":"host-down"},
       "alerts":[{"status":"firing","labels":{"alertname":"HostDown","host":"web2"},
                  "annotations":{"summary":"web2 is down"}}]}
      """;
  static final String RESOLVED = FIRING.replace("\"firing\"", "\"resolved\"");

  @Test
  void notificationsBecomeEventsAndIncidents(@TempDir Path dir) {
    EventLog log = new EventLog(dir.resolve("events.jsonl"), CLOCK);
    AlertNotices n = new AlertNotices(log);
    n.receive(FIRING);
    assertThat(Incidents.of(log.read(), CLOCK.instant()).open())
        .extracting(Incidents.Incident::title)
        .containsExactly("HostDown web2");
    assertThat(log.read())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(AlertNotices.CODE);
              assertThat(e.host()).isEqualTo("web2");
              assertThat(e.message()).isEqualTo("firing: HostDown (web2 is down)");
            });
    n.receive(RESOLVED);
    assertThat(Incidents.of(log.read(), CLOCK.instant()).open())
        .as("a resolved group closes its incident")
        .isEmpty();
    assertThat(log.read().get(1).message()).isEqualTo("resolved: resolved HostDown (web2 is down)");
  }

  @Test
  void aNotificationDeliveredTwiceIsLoggedOnceButARepeatLaterIsLogged(@TempDir Path dir) {
    Instant[] now = {Instant.parse("2026-12-04T12:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    EventLog log = new EventLog(dir.resolve("events.jsonl"), clock);
    AlertNotices n = new AlertNotices(log);
    n.receive(FIRING);
    n.receive(RESOLVED);
    now[0] = now[0].plusMillis(53);
    // Alertmanager delivers at least once: the same resolution again, 53 ms later.
    n.receive(RESOLVED);
    assertThat(log.read())
        .as("the second delivery pages nobody")
        .extracting(e -> e.message())
        .containsExactly(
            "firing: HostDown (web2 is down)", "resolved: resolved HostDown (web2 is down)");

    now[0] = now[0].plus(AlertNotices.REDELIVERY).plusMillis(1);
    n.receive(FIRING);
    now[0] = now[0].plus(AlertNotices.REDELIVERY).plusMillis(1);
    n.receive(FIRING);
    assertThat(log.read())
        .as(
            "the same notification after more than %s is a repeat, and logged",
            AlertNotices.REDELIVERY)
        .hasSize(4);
  }

  @Test
  void onlyTheRightBearerTokenIsHeard(@TempDir Path dir) throws Exception {
    EventLog log = new EventLog(dir.resolve("events.jsonl"), CLOCK);
    AlertNotices n = new AlertNotices(log);
    try (AlertWebhook w = AlertWebhook.start("127.0.0.1", 0, "/alertmanager", "s3cret", n)) {
      URI url = URI.create("http://127.0.0.1:" + w.port() + "/alertmanager");
      HttpClient http = HttpClient.newHttpClient();
      assertThat(post(http, url, null, FIRING)).as("no token").isEqualTo(401);
      assertThat(post(http, url, "Bearer s3creT", FIRING)).as("wrong token").isEqualTo(401);
      assertThat(log.read()).as("nothing logged for a refused post").isEmpty();
      assertThat(post(http, url, "Bearer s3cret", "{\"not\":1}"))
          .as("not a notification")
          .isEqualTo(400);
      assertThat(post(http, url, "Bearer s3cret", FIRING)).isEqualTo(200);
      assertThat(log.read()).hasSize(1);
      assertThat(log.read().get(0).message()).doesNotContain("s3cret");
    }
  }

  private static int post(HttpClient http, URI url, String auth, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
