package dev.webinfra.cli;

import dev.webinfra.lab.Labs;
import picocli.CommandLine.Option;

/** The {@code --lab} option shared by the verbs that act on a running lab. */
public final class LabOption {
  @Option(names = "--lab", paramLabel = "NAME", description = "The lab to act on (default: the last one brought up).")
  String lab;

  /** The named lab, else the current one. */
  public String resolve() {
    return Labs.resolve(lab);
  }
}
