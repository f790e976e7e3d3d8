package dev.webinfra.events;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String time, String host, String code, String message, String actor) {
  public Event {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
