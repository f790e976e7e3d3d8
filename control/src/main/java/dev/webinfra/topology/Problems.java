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

  Problems(String file) {
    this("topology", file);
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
    found.add(p);
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<Problem> all() {
    return List.copyOf(found);
  }

  /** Throws an invalid-input error listing every problem, if there is any. */
  public void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    String head =
        found.size() == 1
            ? subject + " " + file + " is invalid:"
            : subject + " " + file + " is invalid (" + found.size() + " problems):";
    throw WebinfraException.invalidInput(
        head + "\n" + found.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
  }
}
