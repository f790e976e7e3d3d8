package dev.webinfra.load;

import dev.webinfra.WebinfraException;

/**
 * One request's outcome as the agent reports it: its number, when it was due and how long after
 * that it ended (so latency includes any wait for a connection: no coordinated omission), how it
 * ended, the HTTP status (0 without one), and whether it wrote.
 */
public record Outcome(
    long seq, long dueNanos, long latencyNanos, Cause cause, int status, boolean write) {

  /** The line the agent prints: {@code o SEQ DUE_US LATENCY_US CAUSE STATUS W|R}. */
  public String toLine() {
    return "o "
        + seq
        + " "
        + dueNanos / 1000
        + " "
        + latencyNanos / 1000
        + " "
        + cause.name()
        + " "
        + status
        + " "
        + (write ? "W" : "R");
  }

  /** Parses a line from {@link #toLine()}; the engine's side of the agent's protocol. */
  public static Outcome parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 7 || !f[0].equals("o")) {
      throw WebinfraException.unexpectedState("load agent: unreadable outcome line '" + line + "'");
    }
    try {
      return new Outcome(
          Long.parseLong(f[1]),
          Long.parseLong(f[2]) * 1000,
          Long.parseLong(f[3]) * 1000,
          Cause.valueOf(f[4]),
          Integer.parseInt(f[5]),
          f[6].equals("W"));
    } catch (IllegalArgumentException e) {
      throw WebinfraException.unexpectedState(
          "load agent: unreadable outcome line '" + line + "': " + e.getMessage(), e);
    }
  }

  /** The id this request wrote, if it was a write of run {@code runId}. */
  public static String writeId(String runId, long seq) {
    return "load-" + runId + "-" + seq;
  }
}
