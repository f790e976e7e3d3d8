package dev.webinfra.load;

import java.util.Map;
import java.util.stream.Collectors;

/** A run as a short text report for the terminal. */
public final class TextReport {
  private TextReport() {}

  /** The totals, the latency, the writes per class and server, then the timeline. */
  public static String render(LoadResult r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "load %s: %s, %d/s for %s, %d%% writes, %d connections%s%n",
            r.runId(),
            r.url(),
            r.options().rate(),
            seconds(r.options().duration().toMillis()),
            r.options().writePercent(),
            r.options().connections(),
            r.complete() ? "" : " (stopped early)"));
    b.append(
        String.format(
            "requests %d  ok %d  failed %d%s%n",
            r.requests(), r.ok(), r.failed(), causes(r.failures())));
    r.reasons().forEach((k, v) -> b.append(String.format("  %5d  %s%n", v, k)));
    if (r.retried() > 0) {
      b.append(
          String.format(
              "retried %d (connection reset or closed before any answer; --retries %d)%n",
              r.retried(), r.options().retries()));
      r.retries().forEach((k, v) -> b.append(String.format("  %5d  %s%n", v, k)));
    }
    b.append(
        String.format(
            "latency ms  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
            r.latency().p50Ms(), r.latency().p90Ms(), r.latency().p99Ms(), r.latency().maxMs()));
    WriteReport w = r.writes();
    b.append(
        String.format(
            "writes  attempted %d  acknowledged %d (present %d, lost %d)  indeterminate %d (found"
                + " %d)  failed %d (found %d)  unexpected %d  duplicated %d%n",
            w.attempted(),
            w.acknowledged(),
            w.present(),
            w.lost(),
            w.indeterminate(),
            w.indeterminateFound(),
            w.failed(),
            w.failedFound(),
            w.unexpected(),
            w.duplicated()));
    if (!w.lostIds().isEmpty()) {
      b.append("  lost: ").append(String.join(" ", w.lostIds())).append('\n');
    }
    if (!w.unexpectedIds().isEmpty()) {
      b.append("  unexpected: ").append(String.join(" ", w.unexpectedIds())).append('\n');
    }
    if (!w.duplicatedIds().isEmpty()) {
      b.append("  duplicated: ").append(String.join(" ", w.duplicatedIds())).append('\n');
    }
    for (WriteReport.Server s : w.servers()) {
      b.append(
          s.readable()
              ? String.format(
                  "  %-8s %d rows, %d acknowledged missing%n",
                  s.host(), s.rows(), s.missingAcknowledged())
              : String.format("  %-8s unreadable: %s%n", s.host(), s.error()));
    }
    b.append(
        String.format("%6s %8s %8s %8s %9s%n", "second", "requests", "ok", "failed", "p99 ms"));
    for (Second s : r.timeline()) {
      b.append(
          String.format(
              "%6d %8d %8d %8d %9.2f%s%n",
              s.second(), s.requests(), s.ok(), s.failed(), s.p99Ms(), causes(s.failures())));
    }
    return b.toString();
  }

  // Only the causes that happened, so a clean run reads clean.
  private static String causes(Map<String, Long> failures) {
    String s =
        failures.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return s.isEmpty() ? "" : "  (" + s + ")";
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
