package dev.webinfra.load;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Everything the outcomes add up to, kept as they arrive so a reader (chaos, a live view) can take
 * a snapshot at any time: totals by cause, latency over the run and per second, and every write's
 * outcome for the set checker.
 */
public final class Tally {
  private final Histogram total = Latency.histogram();
  private final EnumMap<Cause, Long> causes = new EnumMap<>(Cause.class);
  private final TreeMap<Integer, Bucket> seconds = new TreeMap<>();
  private final Map<Long, Cause> writes = new LinkedHashMap<>();
  private final Reasons reasons = new Reasons();
  private final Reasons retries = new Reasons();

  /** At most this many distinct failure reasons are kept; the rest count under "(others)". */
  static final int REASONS = 20;

  private static final class Bucket {
    final Histogram latency = Latency.histogram();
    final EnumMap<Cause, Long> causes = new EnumMap<>(Cause.class);
    long requests;
  }

  /** Adds one outcome. Only answered requests are timed: a refused connection is not fast. */
  public synchronized void add(Outcome o) {
    causes.merge(o.cause(), 1L, Long::sum);
    Bucket b = seconds.computeIfAbsent(Schedule.secondOf(o.dueNanos()), s -> new Bucket());
    b.requests++;
    b.causes.merge(o.cause(), 1L, Long::sum);
    if (o.cause() == Cause.OK) {
      long micros = Math.max(1, o.latencyNanos() / 1000);
      total.recordValue(Math.min(micros, total.getHighestTrackableValue()));
      b.latency.recordValue(Math.min(micros, b.latency.getHighestTrackableValue()));
    }
    if (o.write()) {
      writes.put(o.seq(), o.cause());
    }
  }

  /**
   * Records why a request failed, as the agent saw it: the error page's start or the exception.
   * Reasons that differ only in their numbers (a timing, a queue length) count as one, shown as the
   * first seen.
   */
  public synchronized void reason(Cause cause, String text) {
    reasons.add(cause, text);
  }

  /** Why requests failed, with how many failed so, in the order first seen. */
  public synchronized Map<String, Long> reasons() {
    return reasons.counts();
  }

  /**
   * Records an attempt whose connection was reset or closed before any answer, and which the agent
   * sent again; grouped as {@link #reason} groups failures.
   */
  public synchronized void retry(Cause cause, String text) {
    retries.add(cause, text);
  }

  /** Why attempts were sent again, with how many, in the order first seen. */
  public synchronized Map<String, Long> retries() {
    return retries.counts();
  }

  // Texts that differ only in their numbers count as one; at most REASONS kinds, then "(others)".
  private static final class Reasons {
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String> texts = new HashMap<>();

    void add(Cause cause, String text) {
      String full = cause.label() + ": " + text;
      String kind = full.replaceAll("[0-9]+", "#");
      if (!counts.containsKey(kind) && counts.size() >= REASONS) {
        kind = "(others)";
        full = kind;
      }
      counts.computeIfAbsent(kind, k -> new long[] {0})[0]++;
      texts.putIfAbsent(kind, full);
    }

    Map<String, Long> counts() {
      Map<String, Long> out = new LinkedHashMap<>();
      counts.forEach((kind, n) -> out.put(texts.get(kind), n[0]));
      return java.util.Collections.unmodifiableMap(out);
    }
  }

  /** Requests that ended, whichever way. */
  public synchronized long requests() {
    return causes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests answered well. */
  public synchronized long ok() {
    return causes.getOrDefault(Cause.OK, 0L);
  }

  /** Failed requests by cause label, every cause listed (zeros too) so the JSON shape is fixed. */
  public synchronized Map<String, Long> failures() {
    return failures(causes);
  }

  /** Latency of the answered requests over the whole run. */
  public synchronized Latency latency() {
    return Latency.of(total);
  }

  /** The timeline so far, one entry per second from the first to the last with an outcome. */
  public synchronized List<Second> timeline() {
    List<Second> out = new ArrayList<>();
    if (seconds.isEmpty()) {
      return out;
    }
    for (int s = 0; s <= seconds.lastKey(); s++) {
      Bucket b = seconds.get(s);
      if (b == null) {
        out.add(new Second(s, 0, 0, 0, failures(new EnumMap<>(Cause.class)), 0));
        continue;
      }
      long ok = b.causes.getOrDefault(Cause.OK, 0L);
      out.add(
          new Second(
              s,
              b.requests,
              ok,
              b.requests - ok,
              failures(b.causes),
              Latency.of(b.latency).p99Ms()));
    }
    return out;
  }

  /** Each write's request number and how it ended. */
  public synchronized Map<Long, Cause> writes() {
    return Map.copyOf(writes);
  }

  private static Map<String, Long> failures(EnumMap<Cause, Long> causes) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Cause c : Cause.values()) {
      if (c != Cause.OK) {
        out.put(c.label(), causes.getOrDefault(c, 0L));
      }
    }
    return out;
  }
}
