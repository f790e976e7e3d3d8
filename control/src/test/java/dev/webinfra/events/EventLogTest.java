package dev.webinfra.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log reads back what was written, by time, and survives a torn last line. */
class EventLogTest {
  @TempDir Path dir;

  @Test
  void readsBackControllerAndOperatorEntriesSinceATime() throws Exception {
    Path f = dir.resolve("events.log");
    new EventLog(f, Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC))
        .operator("web2", "OperatorStop", "webinfra stop web2: power cut");
    new EventLog(f, Clock.fixed(Instant.parse("2026-11-23T12:00:05Z"), ZoneOffset.UTC))
        .record("web1", "DeadDaemon", "process gone; restarting web1/nginx");
    Files.writeString(f, "{\"time\":\"2026-11-23T12:0", java.nio.file.StandardOpenOption.APPEND);

    EventLog log = new EventLog(f, Clock.systemUTC());
    assertThat(log.read())
        .as("a line cut by a crash is skipped")
        .extracting(Event::code, Event::actor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OperatorStop", "operator"),
            org.assertj.core.groups.Tuple.tuple("DeadDaemon", "controller"));
    assertThat(log.since(Instant.parse("2026-11-23T12:00:01Z")))
        .extracting(Event::host)
        .containsExactly("web1");
  }
}
