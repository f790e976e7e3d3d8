package dev.webinfra.load;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds, from an HdrHistogram of microseconds. */
public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

  /** Microseconds up to an hour, three significant digits: 0.1% error, whatever the latency. */
  static Histogram histogram() {
    return new Histogram(3_600_000_000L, 3);
  }

  /** The percentiles of a histogram; all zero when it is empty. */
  public static Latency of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new Latency(0, 0, 0, 0, 0);
    }
    return new Latency(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()));
  }

  private static double ms(long micros) {
    // Two decimals are well inside the histogram's precision and keep reports short.
    return Math.round(micros / 10.0) / 100.0;
  }
}
