package dev.webinfra.topology;

import java.util.Objects;

/**
 * One thing wrong with a topology file: where it is (line and column 1-based, 0 when the problem
 * concerns the whole file), which field, and what was allowed. Every part is made safe to print.
 */
public record Problem(String file, int line, int column, String field, String message) {
  public Problem {
    file = Shown.value(Objects.requireNonNull(file, "file"));
    field = Shown.value(Objects.requireNonNull(field, "field"));
    message = Shown.line(Objects.requireNonNull(message, "message"));
  }

  /** A problem with the whole file, such as one that is too large to read. */
  public static Problem ofFile(String file, String message) {
    return new Problem(file, 0, 0, "", message);
  }

  /** {@code file:line:column}, or just the file when the problem has no position. */
  public String location() {
    return line == 0 ? file : file + ":" + line + ":" + column;
  }

  @Override
  public String toString() {
    return location() + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
