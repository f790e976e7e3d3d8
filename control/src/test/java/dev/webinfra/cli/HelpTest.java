package dev.webinfra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.topology.Durations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every verb and sub-verb answers --help with its usage and exit code 0. */
class HelpTest {
  static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue;
      }
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      out.add(p);
      collect(e.getValue(), p, out);
    }
  }

  @Test
  void everyVerbAnswersHelp() {
    List<List<String>> verbs = new ArrayList<>();
    collect(Main.commandLine(), List.of(), verbs);
    assertThat(verbs).as("the verbs found").hasSizeGreaterThan(12);
    for (List<String> v : verbs) {
      List<String> args = new ArrayList<>(v);
      args.add("--help");
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertThat(r.exitCode()).as("webinfra %s --help: %s", String.join(" ", v), r.err()).isZero();
      assertThat(r.out()).as("usage of %s", v).contains("Usage: webinfra " + String.join(" ", v));
    }
  }

  @Test
  void eventsSinceTakesHumanDurations() {
    assertThat(Durations.parse("events: --since", "90s")).hasSeconds(90);
    assertThat(Durations.parse("events: --since", "5m")).hasMinutes(5);
    assertThat(Durations.parse("events: --since", "PT2H")).hasHours(2);
    CliRun bad = CliRun.of("events", "--lab", "nosuchlab", "--since", "soon");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--since: 'soon' is not a duration");
  }
}
