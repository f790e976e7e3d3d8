package dev.webinfra.events;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The incidents the event log's alert notifications tell of: one per Alertmanager group (a host and
 * a kind of incident, {@code group_by: [host, incident]}), open from its first firing notification
 * until the one that resolves it. A repeat of the group is the same incident; a group that fires
 * again after it was resolved is a new one.
 *
 * <p>Pure: a fold over the log's entries, so whoever reads the log (the controller after a restart,
 * {@code status} in another process) sees the same incidents, and nothing else needs keeping.
 */
public final class Incidents {
  /** The event code of an Alertmanager notification. */
  public static final String CODE = "AlertNotification";

  /** How long a resolved incident is still shown, as resolved. */
  public static final Duration RECENT = Duration.ofMinutes(15);

  // The keys of a notification's event data.
  static final String GROUP = "group";
  static final String INCIDENT = "incident";
  static final String STATUS = "status";
  static final String FIRING = "firing";
  static final String ALERTS = "alerts";
  static final String STARTS_AT = "starts_at";

  /**
   * One incident.
   *
   * @param group Alertmanager's group key
   * @param host the group's host, or {@code -} (a site-wide alert names none)
   * @param kind the group's {@code incident} label ({@code host-down}, {@code replication}, ...)
   * @param title what fires, e.g. {@code HostDown web2}
   * @param alerts how many alerts the last notification named as firing (inhibited ones are not
   *     sent, so not counted)
   * @param since when its first alert started firing (Alertmanager's {@code startsAt}), or, when
   *     that was not sent, when its first notification came
   * @param last when its last notification came
   * @param resolved when the notification that resolved it came; null while it is open
   */
  public record Incident(
      String group,
      String host,
      String kind,
      String title,
      int alerts,
      Instant since,
      Instant last,
      Instant resolved) {
    public Incident {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(since, "since");
    }

    /** Whether no notification resolved it yet. */
    public boolean open() {
      return resolved == null;
    }
  }

  /**
   * What the log tells at one moment.
   *
   * @param open the open incidents, the oldest first
   * @param resolved those resolved within {@link #RECENT}, the latest first
   */
  public record View(List<Incident> open, List<Incident> resolved) {
    public View {
      open = List.copyOf(open);
      resolved = List.copyOf(resolved);
    }
  }

  private Incidents() {}

  /**
   * The event data of one notification: its group, the group's kind of incident, its status, the
   * names of its firing alerts and the earliest {@code startsAt} among them (null: none sent).
   */
  public static Map<String, String> data(
      String group, String incident, String status, List<String> firing, Instant startsAt) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(GROUP, group);
    d.put(INCIDENT, incident);
    d.put(STATUS, status);
    d.put(FIRING, String.join(",", new LinkedHashSet<>(firing)));
    d.put(ALERTS, Integer.toString(firing.size()));
    if (startsAt != null) {
      d.put(STARTS_AT, startsAt.toString());
    }
    return d;
  }

  /**
   * The incidents that {@code events} (oldest first, as the log reads) tell of at {@code now}.
   * Entries of other codes, and notifications logged without data (before incidents were kept), are
   * passed over.
   */
  public static View of(List<Event> events, Instant now) {
    Map<String, Incident> open = new LinkedHashMap<>();
    List<Incident> closed = new ArrayList<>();
    for (Event e : events) {
      Map<String, String> d = e.data();
      if (!e.code().equals(CODE) || d == null || d.get(GROUP) == null) {
        continue;
      }
      Instant at;
      try {
        at = Instant.parse(e.time());
      } catch (DateTimeParseException ex) {
        continue;
      }
      String group = d.get(GROUP);
      int alerts = count(d.get(ALERTS));
      Incident was = open.get(group);
      if ("resolved".equals(d.get(STATUS)) || alerts == 0) {
        // A resolution of a group never seen firing (its page came before the log began) closes
        // nothing.
        if (was != null) {
          open.remove(group);
          closed.add(
              new Incident(
                  group, was.host(), was.kind(), was.title(), was.alerts(), was.since(), at, at));
        }
        continue;
      }
      Instant since = was != null ? was.since() : earlier(startsAt(d.get(STARTS_AT)), at);
      // Put in place of the old entry, a LinkedHashMap keeps its place: the oldest stays first.
      open.put(
          group,
          new Incident(
              group,
              e.host(),
              d.getOrDefault(INCIDENT, "-"),
              title(d.get(FIRING), e.host()),
              alerts,
              since,
              at,
              null));
    }
    Instant recent = now.minus(RECENT);
    List<Incident> resolved =
        closed.stream()
            .filter(i -> i.resolved().isAfter(recent))
            .sorted(Comparator.comparing(Incident::resolved).reversed())
            .toList();
    return new View(List.copyOf(open.values()), resolved);
  }

  // "HostDown web2"; several names in the order they fired, and no host for a site-wide group.
  private static String title(String firing, String host) {
    Set<String> names = new LinkedHashSet<>();
    if (firing != null) {
      for (String n : firing.split(",")) {
        if (!n.isBlank()) {
          names.add(n.strip());
        }
      }
    }
    String what = names.isEmpty() ? "?" : String.join(", ", names);
    return host == null || host.equals("-") ? what : what + " " + host;
  }

  private static int count(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant startsAt(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
