package dev.webinfra.analysis;

import java.util.Locale;

/** How bad a finding is; {@code check --fail-on} compares against it. */
public enum Severity {
  HIGH,
  MEDIUM,
  LOW,
  INFO;

  /** The lower-case name used on the command line and in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this is at least as severe as {@code other}. */
  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }
}
