package dev.webinfra.load;

import java.util.List;

/**
 * The set checker's verdict on a run's writes, as Jepsen's set checker gives it. {@code
 * acknowledged} writes got a 2xx; each is then {@code present} or {@code lost}. {@code
 * indeterminate} writes timed out or got a 5xx or a broken connection: the write may or may not
 * have happened, and {@code indeterminateFound} of them did. {@code failed} writes were refused
 * before reaching the database (no connection, a 4xx); {@code failedFound} of them are there
 * anyway, which is an anomaly. {@code unexpected} rows carry this run's tag but no attempt made
 * them; {@code duplicated} writes are stored more than once (on some server, two rows with one
 * write's id: an idempotency key that did not hold). Per server: what each held.
 */
public record WriteReport(
    long attempted,
    long acknowledged,
    long present,
    long lost,
    long indeterminate,
    long indeterminateFound,
    long failed,
    long failedFound,
    long unexpected,
    long duplicated,
    List<String> lostIds,
    List<String> unexpectedIds,
    List<String> duplicatedIds,
    List<Server> servers) {

  /** Copies the lists. */
  public WriteReport {
    lostIds = List.copyOf(lostIds);
    unexpectedIds = List.copyOf(unexpectedIds);
    duplicatedIds = List.copyOf(duplicatedIds);
    servers = List.copyOf(servers);
  }

  /**
   * One database server: whether it could be read, how many of this run's rows it holds, and how
   * many acknowledged writes it lacks.
   */
  public record Server(
      String host, boolean readable, long rows, long missingAcknowledged, String error) {}

  /** Whether the run lost nothing it promised and holds nothing it should not. */
  public boolean clean() {
    return lost == 0 && unexpected == 0 && duplicated == 0 && failedFound == 0;
  }
}
