package dev.webinfra.chaos;

import dev.webinfra.WebinfraException;
import java.util.List;

/**
 * One step that undoes part of a fault, written to the lab's state before the fault acts, so that a
 * later chaos, {@code up} or {@code down} can undo it after chaos itself was killed.
 *
 * @param what {@code nft} (delete a table), {@code qdisc} (delete a link's root qdisc), {@code
 *     proxy} (stop a latency proxy), {@code sskill} (close connections to an address:port, so they
 *     reconnect unsteered), {@code stopped} (bring a power-cut host back), {@code cont} (SIGCONT a
 *     frozen daemon's processes)
 * @param host the host it is done in
 * @param arg the table ({@code family name}), the link, the proxy's number, the frozen daemon;
 *     empty for {@code stopped}
 */
public record Undo(String what, String host, String arg) {
  private static final List<String> KINDS =
      List.of("nft", "qdisc", "proxy", "sskill", "cont", "stopped");

  /** Checks the kind and that no field would break the one-line format. */
  public Undo {
    if (!KINDS.contains(what)) {
      throw new IllegalArgumentException("undo: unknown step '" + what + "'; allowed: " + KINDS);
    }
    if (host.isBlank() || host.contains("\t") || arg.contains("\t") || arg.contains("\n")) {
      throw new IllegalArgumentException("undo: bad host or argument: " + host + " / " + arg);
    }
  }

  /** The step as one ledger line. */
  public String line() {
    return what + "\t" + host + "\t" + arg;
  }

  /** A ledger line back as a step. */
  public static Undo parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 3) {
      throw WebinfraException.unexpectedState("chaos ledger: cannot read line '" + line + "'");
    }
    return new Undo(f[0], f[1], f[2]);
  }
}
