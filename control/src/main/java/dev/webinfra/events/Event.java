package dev.webinfra.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a lab's event log: when, on which host, a code from a closed set (an analysis such
 * as {@code DeadDaemon}, or an operator's command such as {@code OperatorStop}), and what happened.
 *
 * @param time an ISO-8601 instant
 * @param host the host concerned, or {@code -} for the whole lab
 * @param code what kind of event
 * @param message what was seen or done
 * @param actor who acted: {@code controller} or {@code operator}
 * @param data what a program reads back, by name (null: nothing), e.g. an alert notification's
 *     group for {@link Incidents}; the message stays what a person reads
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
    String time, String host, String code, String message, String actor, Map<String, String> data) {
  public Event {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    data = data == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /** An event with no data for programs, as most are. */
  public Event(String time, String host, String code, String message, String actor) {
    this(time, host, code, message, actor, null);
  }
}
