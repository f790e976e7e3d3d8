package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The faults active in a lab, kept in its directory (a file per fault, one undo step a line):
 * written before a fault acts, removed once it is undone. What is left after a kill -9 is what a
 * later chaos or {@code up} undoes.
 */
public final class Ledger {
  private final Path dir;

  /** The ledger in {@code dir}, the lab's {@code chaos}. */
  public Ledger(Path dir) {
    this.dir = dir;
  }

  /** Records one more undo step of fault {@code key} before the step's action is taken. */
  public synchronized void add(String key, Undo step) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve(key),
          step.line() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "chaos: cannot record fault " + key + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The steps of fault {@code key}, in the order they were recorded. */
  public synchronized List<Undo> steps(String key) {
    Path f = dir.resolve(key);
    try {
      return Files.exists(f)
          ? Files.readAllLines(f, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank())
              .map(Undo::parse)
              .toList()
          : List.of();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState("chaos: cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Forgets fault {@code key}: it is undone. */
  public synchronized void remove(String key) {
    try {
      Files.deleteIfExists(dir.resolve(key));
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "chaos: cannot remove " + dir.resolve(key) + ": " + e.getMessage(), e);
    }
  }

  /** The faults recorded as active. */
  public synchronized List<String> active() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "chaos: cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Undoes fault {@code key}: its steps in reverse order, each at most once even if one fails; then
   * forgets it. Returns the failures, to report.
   */
  public List<String> undo(String key, Consumer<Undo> apply) {
    List<String> failed = new ArrayList<>();
    List<Undo> steps = new ArrayList<>(steps(key));
    java.util.Collections.reverse(steps);
    for (Undo s : steps) {
      try {
        apply.accept(s);
      } catch (RuntimeException e) {
        failed.add(s.what() + " on " + s.host() + ": " + e.getMessage());
      }
    }
    if (failed.isEmpty()) {
      remove(key);
    }
    return failed;
  }
}
