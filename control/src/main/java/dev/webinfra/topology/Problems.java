package dev.webinfra.topology;

import dev.webinfra.WebinfraException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects the problems found while loading one topology file, so the user sees all of them at
 * once.
 */
public final class Problems {
  private final String subject;
  private final String file;
  private final List<Problem> found = new ArrayList<>();
  private int dropped;

  /**
   * The most problems kept and shown: a hostile file can have one on every item of a long list, and
   * a hundred thousand lines of them help nobody.
   */
  static final int MAX_KEPT = 100;

  private java.nio.file.Path base;

  Problems(String file) {
    this("topology", file);
  }

  /**
   * The directory relative paths in the file start at: the file's own, unless it is a copy kept
   * elsewhere (a lab's), which resolves against its original's.
   */
  public java.nio.file.Path base() {
    return base != null ? base : java.nio.file.Path.of(file).toAbsolutePath().getParent();
  }

  Problems base(java.nio.file.Path dir) {
    this.base = dir;
    return this;
  }

  /** Problems of a file of another kind: {@code subject} starts the message ("scenario"). */
  public Problems(String subject, String file) {
    this.subject = subject;
    this.file = file;
  }

  public String file() {
    return file;
  }

  void add(Problem p) {
    if (found.size() < MAX_KEPT) {
      found.add(p);
    } else {
      dropped++;
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** The problems kept: the first {@link #MAX_KEPT}. */
  public List<Problem> all() {
    return List.copyOf(found);
  }

  /** How many problems were found beyond the first {@link #MAX_KEPT}, which alone are kept. */
  public int notShown() {
    return dropped;
  }

  /** The line that says so, or nothing. */
  static String notShownLine(int notShown) {
    return notShown == 0
        ? ""
        : "\n  ... and " + notShown + " more, not shown (fix these and check again)";
  }

  /** Throws an invalid-input error listing every problem, if there is any. */
  public void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    int total = found.size() + dropped;
    String head =
        total == 1
            ? subject + " " + file + " is invalid:"
            : subject + " " + file + " is invalid (" + total + " problems):";
    throw WebinfraException.invalidInput(
        head
            + "\n"
            + found.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
            + notShownLine(dropped));
  }
}
