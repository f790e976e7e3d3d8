package dev.webinfra.load;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished run: what was asked, the totals, failures by cause and why (the first distinct
 * reasons), latency, the per-second timeline and the set checker's verdict on the writes. {@code
 * complete} is false when the run was stopped before its end.
 */
public record LoadResult(
    String runId,
    String url,
    Instant startedAt,
    LoadOptions options,
    boolean complete,
    long requests,
    long ok,
    Map<String, Long> failures,
    Map<String, Long> reasons,
    Map<String, Long> retries,
    Latency latency,
    List<Second> timeline,
    WriteReport writes) {

  /** Copies the collections, keeping the failures' order. */
  public LoadResult {
    failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    reasons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(reasons));
    retries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(retries));
    timeline = List.copyOf(timeline);
  }

  /** Attempts sent again after their connection was reset or closed before any answer. */
  public long retried() {
    return retries.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests that did not end well. */
  public long failed() {
    return requests - ok;
  }
}
