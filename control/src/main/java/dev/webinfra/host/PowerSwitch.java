package dev.webinfra.host;

/**
 * What can cut a host's power and give it back, where something can: a test bed's machines, which
 * webinfra booted itself. A server of yours has none that webinfra holds.
 */
public interface PowerSwitch {
  /** Cuts the host's power: every process stops at once, and its links go. */
  void cut(String host);

  /** Gives a cut host its power back and returns once it has booted. */
  void on(String host);

  /** Whether the host has power now. */
  boolean isOn(String host);
}
