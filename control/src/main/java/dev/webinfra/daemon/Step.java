package dev.webinfra.daemon;

import java.util.List;
import java.util.Objects;

/** A command run inside a host, with what it is for (shown when it fails). */
public record Step(String what, List<String> command) {
  public Step {
    Objects.requireNonNull(what, "what");
    command = List.copyOf(command);
  }

  /** A step from its description and its command's words. */
  public static Step of(String what, String... command) {
    return new Step(what, List.of(command));
  }
}
