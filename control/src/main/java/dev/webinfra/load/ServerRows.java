package dev.webinfra.load;

import java.util.List;
import java.util.Optional;

/**
 * What one database server held of a run's writes at readback: the ids (one per row, so a duplicate
 * shows twice), or why it could not be read (a stopped host, a server down).
 */
public record ServerRows(String host, Optional<List<String>> ids, String error) {
  /** Copies the list. */
  public ServerRows {
    ids = ids.map(List::copyOf);
  }

  /** A server that answered. */
  public static ServerRows read(String host, List<String> ids) {
    return new ServerRows(host, Optional.of(ids), null);
  }

  /** A server that could not be read. */
  public static ServerRows unreadable(String host, String error) {
    return new ServerRows(host, Optional.empty(), error);
  }
}
