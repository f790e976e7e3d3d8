package dev.webinfra.load;

import java.util.Map;

/**
 * One second of the timeline, by when requests were due: how many were sent, how many were answered
 * well, how many failed (by cause label), and the 99th percentile latency of the answered ones.
 */
public record Second(
    int second, long requests, long ok, long failed, Map<String, Long> failures, double p99Ms) {
  /** Copies the map in its order, so a snapshot never changes under its reader. */
  public Second {
    failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
  }
}
