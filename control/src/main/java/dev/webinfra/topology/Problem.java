package dev.webinfra.topology;

/** One thing wrong with a topology file: where it is, which field, and what was allowed. */
public record Problem(String location, String field, String message) {

  @Override
  public String toString() {
    return location + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
