package dev.webinfra.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds up, from samples of who holds the floating IP, how long two or more hosts held it at once:
 * each sample that sees two holders counts the time since the sample before, at most {@code cap} (a
 * watcher that stalled does not count its stall), and episodes keep when and how long.
 */
final class HoldingTally {
  /** A stretch of samples that each saw two holders or more. */
  record Episode(Instant from, Duration length, List<String> holders) {
    Episode {
      holders = List.copyOf(holders);
    }
  }

  private final Duration cap;
  private Instant last;
  private Duration total = Duration.ZERO;
  private final List<Episode> episodes = new ArrayList<>();
  private Instant episodeFrom;
  private Duration episodeLength = Duration.ZERO;
  private List<String> episodeHolders = List.of();
  private long samples;
  private long doubleSamples;

  /** A tally counting at most {@code cap} per sample. */
  HoldingTally(Duration cap) {
    this.cap = cap;
  }

  /** One sample: the holders seen at {@code at}. */
  synchronized void sample(Instant at, List<String> holders) {
    samples++;
    Duration since = last == null ? Duration.ZERO : Duration.between(last, at);
    if (since.compareTo(cap) > 0) {
      since = cap;
    }
    last = at;
    if (holders.size() >= 2) {
      doubleSamples++;
      total = total.plus(since);
      if (episodeFrom == null) {
        episodeFrom = at;
        episodeLength = Duration.ZERO;
        episodeHolders = holders;
      }
      episodeLength = episodeLength.plus(since);
    } else if (episodeFrom != null) {
      close();
    }
  }

  private void close() {
    episodes.add(new Episode(episodeFrom, episodeLength, episodeHolders));
    episodeFrom = null;
  }

  /** The time two hosts or more held the IP, in all. */
  synchronized Duration total() {
    return total;
  }

  /** Each stretch of double holding, the one still open included. */
  synchronized List<Episode> episodes() {
    List<Episode> out = new ArrayList<>(episodes);
    if (episodeFrom != null) {
      out.add(new Episode(episodeFrom, episodeLength, episodeHolders));
    }
    return out;
  }

  /** How many samples were taken, and how many of them saw two holders. */
  synchronized long[] counts() {
    return new long[] {samples, doubleSamples};
  }
}
