package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.analysis.Analyzer;
import dev.webinfra.analysis.Finding;
import dev.webinfra.analysis.Report;
import dev.webinfra.analysis.Severity;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check TOPOLOGY}: single points of failure, security and monitoring gaps, quorum, downtime,
 * scaling.
 */
@Command(
    name = "check",
    description =
        "Check a design: exit 0 when no finding reaches --fail-on, 1 when one does, 2 on invalid"
            + " input.")
public final class CheckCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin DesignSource design;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "high",
      description = "high, medium, low, info or none (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Severity threshold = threshold(failOn);
    Topology t = design.load();
    List<Finding> findings = Analyzer.analyze(t);
    spec.commandLine().getOut().print(json ? Report.json(t, findings) : Report.table(t, findings));
    spec.commandLine().getOut().flush();
    boolean fail =
        threshold != null && findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
    return fail ? WebinfraException.CHECK_FAILED : 0;
  }

  private static Severity threshold(String s) {
    if (s.equals("none")) {
      return null;
    }
    try {
      return Severity.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw WebinfraException.invalidInput(
          "--fail-on: '" + s + "' is not a severity; allowed: high, medium, low, info, none");
    }
  }
}
