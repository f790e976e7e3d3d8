package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.analysis.Analyzer;
import dev.webinfra.analysis.Finding;
import dev.webinfra.analysis.Report;
import dev.webinfra.analysis.Severity;
import dev.webinfra.tls.CertificateFindings;
import dev.webinfra.topology.Problem;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check TOPOLOGY}: single points of failure, security and monitoring gaps, quorum, downtime,
 * scaling.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
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

  @Option(
      names = "--explain",
      paramLabel = "ID",
      description = "Explain the findings with this id: the path, why it matters, the fix.")
  String explain;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The time certificates are checked at; tests set another. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    Severity threshold;
    try {
      threshold = threshold(failOn);
    } catch (WebinfraException e) {
      if (!json) {
        throw e;
      }
      return printErrors(List.of(Problem.ofFile("--fail-on", e.getMessage())));
    }
    Topology t;
    if (design.topology != null && design.lab == null) {
      TopologyLoader.Loaded loaded = TopologyLoader.check(design.topology);
      if (json && loaded.topology().isEmpty()) {
        return printErrors(loaded.problems());
      }
      t = loaded.orThrow();
    } else {
      t = design.load();
    }
    // The design's findings, and its certificate's as of now: the one rule that needs the time.
    List<Finding> findings =
        Stream.concat(
                Analyzer.analyze(t).stream(), CertificateFindings.of(t, clock.instant()).stream())
            .sorted(Analyzer.ORDER)
            .toList();
    if (explain != null) {
      return explain(findings);
    }
    spec.commandLine().getOut().print(json ? Report.json(t, findings) : Report.table(t, findings));
    spec.commandLine().getOut().flush();
    boolean fail =
        threshold != null && findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
    return fail ? WebinfraException.CHECK_FAILED : 0;
  }

  private int explain(List<Finding> findings) {
    List<Finding> chosen = findings.stream().filter(f -> f.id().equalsIgnoreCase(explain)).toList();
    if (chosen.isEmpty()) {
      throw WebinfraException.invalidInput(
          "--explain: no finding '"
              + dev.webinfra.topology.Shown.value(explain)
              + "' in "
              + (design.topology != null ? design.topology : "lab " + design.lab)
              + "; its findings: "
              + String.join(", ", findings.stream().map(Finding::id).distinct().toList()));
    }
    spec.commandLine().getOut().print(Report.explain(chosen));
    spec.commandLine().getOut().flush();
    return 0;
  }

  // With --json, invalid input is JSON too, so a script never has to parse text.
  private int printErrors(List<Problem> problems) {
    spec.commandLine().getOut().print(Report.errorsJson(problems));
    spec.commandLine().getOut().flush();
    return WebinfraException.INVALID_INPUT;
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
