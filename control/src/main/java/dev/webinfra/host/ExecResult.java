package dev.webinfra.host;

import java.util.List;

/** The outcome of one command: what ran, its exit code and what it printed. */
public record ExecResult(List<String> cmd, int exitCode, String stdout, String stderr) {
  public ExecResult {
    cmd = List.copyOf(cmd);
  }

  /** Whether the command exited 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /**
   * A one-line description for error messages: the command, its exit code and the tail of stderr.
   */
  public String describe() {
    String err = stderr.strip();
    if (err.isEmpty()) {
      err = stdout.strip();
    }
    List<String> lines = err.lines().toList();
    String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    return "'"
        + String.join(" ", cmd)
        + "' exited "
        + exitCode
        + (tail.isEmpty() ? "" : ": " + tail);
  }
}
