package dev.webinfra.topology;

import dev.webinfra.WebinfraException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects the problems found while loading one topology file, so the user sees all of them at
 * once.
 */
final class Problems {
  private final String file;
  private final List<Problem> found = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void add(Problem p) {
    found.add(p);
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<Problem> all() {
    return List.copyOf(found);
  }

  /** Throws an invalid-input error listing every problem, if there is any. */
  void throwIfAny() {
    if (found.isEmpty()) {
      return;
    }
    String head =
        found.size() == 1
            ? "topology " + file + " is invalid:"
            : "topology " + file + " is invalid (" + found.size() + " problems):";
    throw WebinfraException.invalidInput(
        head + "\n" + found.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
  }
}
