package dev.webinfra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.webinfra.events.Event;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.topology.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code events [--json] [--since DURATION]}: what the controller and operators did. */
@Command(
    name = "events",
    description =
        "Show the lab's event log: what the controller saw and did, and what operators did.")
public final class EventsCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only the last DURATION, e.g. 90s, 5m, 2h, 1d.")
  String since;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    SiteLayout layout = lab.layout();
    // A site of servers: its controller writes its entries where it runs.
    dev.webinfra.lab.LabDrivers.refreshEvents(layout, spec.commandLine().getErr());
    Instant from =
        since == null
            ? Instant.EPOCH
            : clock.instant().minus(Durations.parse("events: --since", since));
    List<Event> events = new EventLog(layout.eventLog(), clock).since(from);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(events));
    } else {
      for (Event e : events) {
        out.printf("%-24s %-8s %-20s %s%n", e.time(), e.host(), e.code(), e.message());
      }
      if (events.isEmpty()) {
        out.println(
            layout.title() + ": no events" + (since == null ? "" : " in the last " + since));
      }
    }
    out.flush();
    return 0;
  }
}
