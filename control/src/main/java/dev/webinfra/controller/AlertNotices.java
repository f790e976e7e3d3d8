package dev.webinfra.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import dev.webinfra.events.EventLog;
import dev.webinfra.events.Incidents;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the controller does with Alertmanager's notifications: each one becomes one entry of the
 * event log (code {@link #CODE}), with a line for people and, as the entry's data, its group and
 * firing alerts, from which {@link Incidents} tells the open incidents. Pure but for the event log
 * it is given.
 */
public final class AlertNotices {
  /** The event code of a notification. */
  public static final String CODE = Incidents.CODE;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How soon after a notification the same one again is Alertmanager delivering it twice, not a
   * page: its deliveries are at least once, and a retry follows within milliseconds; a group's next
   * notification comes a group interval (5 s) later at the soonest.
   */
  static final java.time.Duration REDELIVERY = java.time.Duration.ofSeconds(2);

  private final EventLog events;
  // Per group, the last notification logged and when: the body's meaning, not its bytes.
  private final java.util.Map<String, Logged> last = new java.util.HashMap<>();

  private record Logged(String what, Instant at) {}

  public AlertNotices(EventLog events) {
    this.events = events;
  }

  /**
   * Takes one notification, Alertmanager's webhook body (version 4), and logs it. A body that is
   * not one is an invalid-input error, and changes nothing.
   */
  public synchronized void receive(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw WebinfraException.invalidInput("alert webhook: body is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.path("alerts").isArray() || !root.has("groupKey")) {
      throw WebinfraException.invalidInput(
          "alert webhook: body is not an Alertmanager notification (no groupKey or alerts)");
    }
    String key = root.path("groupKey").asText();
    String status = root.path("status").asText("firing");
    JsonNode group = root.path("groupLabels");
    String host = group.path("host").asText("-");
    String incident = group.path("incident").asText("-");
    List<String> firing = new ArrayList<>();
    List<String> firingNames = new ArrayList<>();
    List<String> resolved = new ArrayList<>();
    Instant startsAt = null;
    for (JsonNode a : root.path("alerts")) {
      String line = describe(a);
      if ("resolved".equals(a.path("status").asText())) {
        resolved.add(line);
      } else {
        firing.add(line);
        firingNames.add(a.path("labels").path("alertname").asText("?"));
        Instant s = instant(a.path("startsAt").asText(null));
        if (s != null && (startsAt == null || s.isBefore(startsAt))) {
          startsAt = s;
        }
      }
    }
    StringBuilder msg = new StringBuilder(status);
    if (!firing.isEmpty()) {
      msg.append(": ").append(String.join("; ", firing));
    }
    if (!resolved.isEmpty()) {
      msg.append(firing.isEmpty() ? ": " : "; ")
          .append("resolved ")
          .append(String.join("; ", resolved));
    }
    // The same group, status and alerts (each with its start and end) as the last one logged, and
    // within REDELIVERY of it: a second delivery of one notification, which pages nobody twice.
    String what = status + "\n" + alertsOf(root);
    Instant now = events.clock().instant();
    Logged before = last.get(key);
    if (before != null
        && before.what().equals(what)
        && !now.isAfter(before.at().plus(REDELIVERY))) {
      return;
    }
    last.put(key, new Logged(what, now));
    events.record(
        host, CODE, msg.toString(), Incidents.data(key, incident, status, firingNames, startsAt));
  }

  // Each alert's identity and state, in the body's order.
  private static String alertsOf(JsonNode root) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode a : root.path("alerts")) {
      sb.append(a.path("labels").toString())
          .append(' ')
          .append(a.path("status").asText())
          .append(' ')
          .append(a.path("startsAt").asText())
          .append(' ')
          .append(a.path("endsAt").asText())
          .append('\n');
    }
    return sb.toString();
  }

  private static String describe(JsonNode alert) {
    JsonNode labels = alert.path("labels");
    String name = labels.path("alertname").asText("?");
    String summary = alert.path("annotations").path("summary").asText("");
    return summary.isEmpty() ? name : name + " (" + summary + ")";
  }

  // Alertmanager's startsAt, RFC 3339; the zero time or anything else unreadable is no time.
  private static Instant instant(String s) {
    try {
      Instant i = s == null ? null : Instant.parse(s);
      return i == null || i.isBefore(Instant.EPOCH) ? null : i;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
