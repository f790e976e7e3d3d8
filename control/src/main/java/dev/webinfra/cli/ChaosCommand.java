package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.chaos.ChaosLab;
import dev.webinfra.chaos.ChaosReport;
import dev.webinfra.chaos.ChaosResult;
import dev.webinfra.chaos.ChaosRun;
import dev.webinfra.chaos.Scenario;
import dev.webinfra.chaos.ScenarioLoader;
import dev.webinfra.lab.Lab;
import dev.webinfra.load.LabSite;
import dev.webinfra.topology.Durations;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chaos SCENARIO}: load in the background, faults on a schedule, figures per fault. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run a scenario: put the site under load, inject its faults on schedule (kill, freeze,"
          + " power-cut, partition, bandwidth, latency), undo them, and report per fault the"
          + " recovery time, failed requests and lost writes.",
      "Exit code 1 when a write was lost or a fault could not be injected or undone."
    })
public final class ChaosCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "The scenario file.")
  Path scenario;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "FILE.html",
      description = "Also write a self-contained HTML report.")
  Path report;

  @Option(
      names = "--settle",
      paramLabel = "TIME",
      defaultValue = "30s",
      description =
          "How long the readback waits for replication to agree (default: ${DEFAULT-VALUE}).")
  String settle;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // Every option and the scenario are read before the lab is: bad input needs no root.
    Duration settleFor = Durations.parse("chaos: --settle", settle);
    // Validated against its preset first: a bad scenario injects nothing and needs no root.
    ScenarioLoader.load(scenario, ChaosCommand::preset);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Lab l = lab.open("chaos", err);
    // Then against the lab as it runs (a preset renamed, or changed since).
    Scenario s = ScenarioLoader.load(scenario, name -> Optional.of(l.topology()));
    ChaosLab chaos = new ChaosLab(l, Home.appJar(), Poll.system());
    ChaosResult result =
        new ChaosRun(
                chaos,
                s,
                line -> {
                  err.println(line);
                  err.flush();
                })
            .run(new LabSite(l), settleFor);
    if (report != null) {
      try {
        Files.writeString(report, ChaosReport.html(result), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw WebinfraException.invalidInput(
            "--report: cannot write " + report + ": " + e.getMessage(), e);
      }
    }
    out.print(json ? ChaosReport.json(result) : ChaosReport.text(result));
    out.flush();
    return result.clean() ? 0 : WebinfraException.CHECK_FAILED;
  }

  static Optional<Topology> preset(String name) {
    Path p = Home.preset(name + ".yaml");
    return Files.isRegularFile(p) ? Optional.of(TopologyLoader.load(p)) : Optional.empty();
  }
}
