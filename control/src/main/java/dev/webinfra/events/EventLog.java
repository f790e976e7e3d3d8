package dev.webinfra.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lab's event log: what the controller saw and did, and what operators did, one JSON object a
 * line, appended and read back by {@code webinfra events}.
 */
public final class EventLog {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Path file;
  private final Clock clock;

  public EventLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The clock its entries are stamped with. */
  public Clock clock() {
    return clock;
  }

  /** Appends what the controller found ({@code code}) on {@code host} and did. */
  public void record(String host, String code, String message) {
    append(new Event(clock.instant().toString(), host, code, message, "controller"));
  }

  /** Appends what the controller found or received, with {@code data} for programs to read back. */
  public void record(String host, String code, String message, Map<String, String> data) {
    append(new Event(clock.instant().toString(), host, code, message, "controller", data));
  }

  /** Appends an operator's command. */
  public void operator(String host, String code, String message) {
    append(new Event(clock.instant().toString(), host, code, message, "operator"));
  }

  private synchronized void append(Event e) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          JSON.writeValueAsString(e) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw WebinfraException.unexpectedState(
          "event log " + file + ": cannot append: " + ex.getMessage(), ex);
    }
  }

  /** Every entry, oldest first. */
  public List<Event> read() {
    return since(Instant.EPOCH);
  }

  /** The entries at or after {@code from}, oldest first; a line that is not an event is skipped. */
  public List<Event> since(Instant from) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Event> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          Event e = JSON.readValue(line, Event.class);
          if (!Instant.parse(e.time()).isBefore(from)) {
            out.add(e);
          }
        } catch (IOException | RuntimeException ex) {
          // A line cut by a crash mid-write: the rest of the log still reads.
        }
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "event log " + file + ": cannot read: " + e.getMessage(), e);
    }
    return out;
  }
}
