package dev.webinfra.chaos;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of fault chaos injects: a closed set, each named as a scenario writes it. */
public enum Kind {
  /** SIGKILL one daemon; the controller restarts it. */
  KILL("kill"),
  /** SIGSTOP one daemon and its children (a hang, not a death); undo sends SIGCONT. */
  FREEZE("freeze"),
  /** Cut a host's power (every process killed, links down), then bring it back. */
  POWER_CUT("power-cut"),
  /** Drop all traffic between two sides (hosts or networks) with nftables. */
  PARTITION("partition"),
  /** Cap a host's link with a token bucket filter (tc tbf). */
  BANDWIDTH("bandwidth"),
  /** Delay one TCP link (host to host:port): netem where the kernel has it, else our proxy. */
  LATENCY("latency");

  private final String label;

  Kind(String label) {
    this.label = label;
  }

  /** The name in scenario files and reports. */
  public String label() {
    return label;
  }

  /** The kind a scenario calls {@code label}. */
  public static Optional<Kind> of(String label) {
    return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
  }
}
