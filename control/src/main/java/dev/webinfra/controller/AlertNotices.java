package dev.webinfra.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import dev.webinfra.events.EventLog;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the controller does with Alertmanager's notifications: each one becomes one entry of the
 * event log (code {@link #CODE}), and the open incidents (one per Alertmanager group: a host and a
 * kind of incident) are kept for the dashboard. Pure but for the event log it is given.
 */
public final class AlertNotices {
  /** The event code of a notification. */
  public static final String CODE = "AlertNotification";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One open incident: an Alertmanager group with firing alerts. */
  public record Incident(
      String key, String host, String incident, String since, List<String> alerts) {
    public Incident {
      alerts = List.copyOf(alerts);
    }
  }

  private final EventLog events;
  private final Map<String, Incident> open = new LinkedHashMap<>();

  public AlertNotices(EventLog events) {
    this.events = events;
  }

  /**
   * Takes one notification, Alertmanager's webhook body (version 4): logs it and updates the open
   * incidents. A body that is not one is an invalid-input error, and changes nothing.
   */
  public synchronized void receive(String body, Instant now) {
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
    List<String> resolved = new ArrayList<>();
    for (JsonNode a : root.path("alerts")) {
      String line = describe(a);
      if ("resolved".equals(a.path("status").asText())) {
        resolved.add(line);
      } else {
        firing.add(line);
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
    events.record(host, CODE, msg.toString());
    if (firing.isEmpty()) {
      open.remove(key);
    } else {
      Incident was = open.get(key);
      open.put(
          key,
          new Incident(key, host, incident, was != null ? was.since() : now.toString(), firing));
    }
  }

  /** The open incidents, oldest first. */
  public synchronized List<Incident> open() {
    return List.copyOf(open.values());
  }

  private static String describe(JsonNode alert) {
    JsonNode labels = alert.path("labels");
    String name = labels.path("alertname").asText("?");
    String summary = alert.path("annotations").path("summary").asText("");
    return summary.isEmpty() ? name : name + " (" + summary + ")";
  }
}
