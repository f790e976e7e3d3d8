package dev.webinfra.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Classifies every write of a run against what the database servers hold, the way Jepsen's set
 * checker does. A row counts as present if any readable server holds it: replication is given time
 * to settle before readback, and each server's own shortfall is reported beside.
 */
public final class SetChecker {
  // Reports list at most this many ids of each anomaly: enough to look them up, never a flood.
  static final int SHOWN_IDS = 20;

  private SetChecker() {}

  /**
   * The verdict for run {@code runId}: {@code writes} maps each write's request number to how it
   * ended; {@code servers} is what each server held of this run's ids.
   */
  public static WriteReport check(String runId, Map<Long, Cause> writes, List<ServerRows> servers) {
    Map<String, Long> attempts = new HashMap<>();
    writes.forEach((seq, cause) -> attempts.put(Outcome.writeId(runId, seq), seq));
    Set<String> present = new HashSet<>();
    // A write stored twice is one duplicated write, however many servers hold both copies.
    Set<String> duplicatedIds = new java.util.TreeSet<>();
    List<String> unexpectedIds = new ArrayList<>();
    for (ServerRows s : servers) {
      if (s.ids().isEmpty()) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (String id : s.ids().get()) {
        if (!seen.add(id)) {
          duplicatedIds.add(id);
        } else if (!attempts.containsKey(id) && present.add(id)) {
          unexpectedIds.add(id);
        } else {
          present.add(id);
        }
      }
    }
    long acknowledged = 0;
    long kept = 0;
    long indeterminate = 0;
    long indeterminateFound = 0;
    long failed = 0;
    long failedFound = 0;
    List<String> lostIds = new ArrayList<>();
    Set<String> acknowledgedIds = new HashSet<>();
    for (Map.Entry<Long, Cause> w : writes.entrySet()) {
      String id = Outcome.writeId(runId, w.getKey());
      boolean found = present.contains(id);
      switch (kind(w.getValue())) {
        case ACKNOWLEDGED -> {
          acknowledged++;
          acknowledgedIds.add(id);
          if (found) {
            kept++;
          } else {
            lostIds.add(id);
          }
        }
        case INDETERMINATE -> {
          indeterminate++;
          indeterminateFound += found ? 1 : 0;
        }
        case FAILED -> {
          failed++;
          failedFound += found ? 1 : 0;
        }
      }
    }
    List<WriteReport.Server> perServer = new ArrayList<>();
    for (ServerRows s : servers) {
      if (s.ids().isEmpty()) {
        perServer.add(new WriteReport.Server(s.host(), false, 0, 0, s.error()));
        continue;
      }
      Set<String> held = new HashSet<>(s.ids().get());
      long missing = acknowledgedIds.stream().filter(id -> !held.contains(id)).count();
      perServer.add(new WriteReport.Server(s.host(), true, s.ids().get().size(), missing, null));
    }
    lostIds.sort(null);
    unexpectedIds.sort(null);
    return new WriteReport(
        writes.size(),
        acknowledged,
        kept,
        lostIds.size(),
        indeterminate,
        indeterminateFound,
        failed,
        failedFound,
        unexpectedIds.size(),
        duplicatedIds.size(),
        lostIds.subList(0, Math.min(SHOWN_IDS, lostIds.size())),
        unexpectedIds.subList(0, Math.min(SHOWN_IDS, unexpectedIds.size())),
        duplicatedIds.stream().limit(SHOWN_IDS).toList(),
        perServer);
  }

  /** What a write's ending says about whether it happened. */
  enum Kind {
    ACKNOWLEDGED,
    INDETERMINATE,
    FAILED
  }

  /**
   * A 2xx acknowledges; no connection or a 4xx means the write never reached the database; a
   * timeout, a 5xx (the app's 503 can follow a commit whose answer was lost) or a broken connection
   * leaves it unknown.
   */
  static Kind kind(Cause c) {
    return switch (c) {
      case OK -> Kind.ACKNOWLEDGED;
      case CONNECT, HTTP_4XX -> Kind.FAILED;
      case TIMEOUT, HTTP_5XX, OTHER -> Kind.INDETERMINATE;
    };
  }
}
