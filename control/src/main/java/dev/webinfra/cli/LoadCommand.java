package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.load.HtmlReport;
import dev.webinfra.load.JsonReport;
import dev.webinfra.load.LabSite;
import dev.webinfra.load.LoadOptions;
import dev.webinfra.load.LoadResult;
import dev.webinfra.load.LoadRun;
import dev.webinfra.load.TextReport;
import dev.webinfra.topology.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code load}: open-loop load from the client host, every write read back and classified. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Put the site under open-loop load from the client host, as visitors would, then read back"
          + " every write from the database and classify it (acknowledged, lost, unexpected,"
          + " indeterminate).",
      "Exit code 1 when a write was lost or a row appeared that no write made."
    })
public final class LoadCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      defaultValue = "20s",
      description = "How long to send requests: 20s, 2m, 500ms (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "100",
      description = "Requests a second, kept whatever the site does (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--writes",
      paramLabel = "PCT",
      defaultValue = "10",
      description =
          "The share of requests that write an entry, in percent (default: ${DEFAULT-VALUE}).")
  int writes;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "At most this many connections, and so requests in flight (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--timeout",
      paramLabel = "TIME",
      defaultValue = "5s",
      description =
          "A request without an answer after this has timed out (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--retries",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Send a request again, at most N times, when its connection was reset or closed before"
              + " any answer; every request is idempotent (a GET, or a write with an"
              + " Idempotency-Key), and the report counts each retry. 0: never"
              + " (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--settle",
      paramLabel = "TIME",
      defaultValue = "30s",
      description =
          "How long to wait for replication to agree before the readback (default:"
              + " ${DEFAULT-VALUE}).")
  String settle;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--report",
      paramLabel = "FILE.html",
      description = "Also write a self-contained HTML report.")
  Path report;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    LoadOptions options =
        new LoadOptions(
            Durations.parse("load: --duration", duration),
            rate,
            writes,
            connections,
            Durations.parse("load: --timeout", timeout),
            retries);
    Duration settleFor = Durations.parse("load: --settle", settle);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Progress goes to stderr, so --json's stdout is JSON only.
    LabSite site = new LabSite(lab.open("load", err));
    LoadResult result;
    try (LoadRun run = LoadRun.start(site, options, Clock.systemUTC())) {
      err.println("load: run " + run.runId() + " against " + site.url() + " from the client host");
      err.flush();
      result =
          run.finish(
              settleFor,
              line -> {
                err.println(line);
                err.flush();
              });
    }
    if (report != null) {
      try {
        Files.writeString(report, HtmlReport.render(result), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw WebinfraException.invalidInput(
            "--report: cannot write " + report + ": " + e.getMessage(), e);
      }
    }
    out.print(json ? JsonReport.render(result) : TextReport.render(result));
    out.flush();
    return result.writes().clean() ? 0 : WebinfraException.CHECK_FAILED;
  }
}
