package dev.webinfra.chaos;

import dev.webinfra.events.Event;
import dev.webinfra.load.Second;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a run's per-second timeline, its lost writes and the event log into figures per fault.
 * Pure: the tests feed it synthetic timelines.
 *
 * <p>Each fault owns a window of seconds, from the second it was injected in to the second the next
 * fault was (or the end of the run): its failed requests and lost writes are those due in its
 * window. A second is <em>healthy</em> when none of its requests failed and at least 90% of the
 * rate succeeded. The site recovered at the first healthy second after the first unhealthy one in
 * the window; a fault that never made a second unhealthy recovered after 0 s.
 */
public final class Accounting {
  /** The share of the rate a second needs to answer well to count as normal. */
  static final double NORMAL = 0.9;

  private Accounting() {}

  /** A change of the floating IP's holder, seen by chaos's own sampling. */
  public record VipChange(Instant at, String holder) {}

  /** Whether second {@code s} ran at the normal rate without failures. */
  static boolean healthy(Second s, int rate) {
    return s.failed() == 0 && s.ok() >= Math.ceil(rate * NORMAL);
  }

  /**
   * The figures of each injection (in injection order) over {@code timeline}; {@code lostIds} are
   * the set checker's {@code load-<run>-<n>}; {@code events} and {@code vip} are from the whole
   * run; {@code start} is when the load's schedule started.
   */
  public static List<FaultResult> account(
      List<Injection> injections,
      List<Second> timeline,
      int rate,
      List<String> lostIds,
      List<Event> events,
      List<VipChange> vip,
      Instant start) {
    List<FaultResult> out = new ArrayList<>();
    int end = timeline.size();
    for (int i = 0; i < injections.size(); i++) {
      Injection inj = injections.get(i);
      int from = Math.min(end, (int) Math.floor(inj.atS()));
      int to =
          i + 1 < injections.size()
              ? Math.min(end, (int) Math.floor(injections.get(i + 1).atS()))
              : end;
      to = Math.max(from, to);
      long failed = 0;
      for (int s = from; s < to; s++) {
        failed += timeline.get(s).failed();
      }
      out.add(
          new FaultResult(
              inj,
              recoveredAfter(timeline, rate, inj.atS(), from, to),
              failed,
              lostIn(lostIds, rate, from, to),
              from,
              to,
              happened(events, vip, start, inj.atS(), to)));
    }
    return out;
  }

  /** Seconds from the injection to the first healthy second after the first unhealthy one. */
  static Double recoveredAfter(List<Second> timeline, int rate, double atS, int from, int to) {
    int bad = -1;
    for (int s = from; s < to && bad < 0; s++) {
      if (!healthy(timeline.get(s), rate)) {
        bad = s;
      }
    }
    if (bad < 0) {
      return 0.0;
    }
    for (int s = bad + 1; s < to; s++) {
      if (healthy(timeline.get(s), rate)) {
        return Math.round(Math.max(0, s - atS) * 10) / 10.0;
      }
    }
    return null;
  }

  /** The lost writes due in seconds {@code [from, to)}: write n is due at n / rate seconds. */
  static long lostIn(List<String> lostIds, int rate, int from, int to) {
    return lostIds.stream()
        .mapToLong(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1)))
        .filter(n -> n / rate >= from && n / rate < to)
        .count();
  }

  /** The event log's entries and the floating IP's moves in the window, with their offsets. */
  static List<String> happened(
      List<Event> events, List<VipChange> vip, Instant start, double fromS, int toS) {
    Instant from = start.plusMillis((long) (fromS * 1000));
    Instant to = start.plusSeconds(toS);
    List<Object[]> lines = new ArrayList<>();
    for (Event e : events) {
      Instant t = Instant.parse(e.time());
      // Chaos's own entries mark the faults, which the report shows already.
      if (!t.isBefore(from) && t.isBefore(to) && !e.code().startsWith("Chaos")) {
        lines.add(new Object[] {t, e.host() + " " + e.code() + ": " + e.message()});
      }
    }
    for (VipChange v : vip) {
      if (!v.at().isBefore(from) && v.at().isBefore(to)) {
        lines.add(
            new Object[] {
              v.at(), "floating IP " + (v.holder() == null ? "held by none" : "on " + v.holder())
            });
      }
    }
    lines.sort((a, b) -> ((Instant) a[0]).compareTo((Instant) b[0]));
    return lines.stream()
        .map(
            l ->
                String.format(
                    "+%.1fs %s",
                    Duration.between(from, (Instant) l[0]).toMillis() / 1000.0, (String) l[1]))
        .toList();
  }
}
