package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.List;

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
}
