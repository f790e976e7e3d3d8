package dev.webinfra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.webinfra.WebinfraException;
import dev.webinfra.events.Event;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.lab.LabLayout;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
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
      description = "Only the last DURATION, e.g. 90s, 5m, 2h.")
  String since;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String name = lab.resolve();
    Instant from = since == null ? Instant.EPOCH : Instant.now().minus(duration(since));
    List<Event> events = new EventLog(LabLayout.of(name).eventLog(), Clock.systemUTC()).since(from);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(events));
    } else {
      for (Event e : events) {
        out.printf("%-24s %-8s %-20s %s%n", e.time(), e.host(), e.code(), e.message());
      }
      if (events.isEmpty()) {
        out.println("lab " + name + ": no events" + (since == null ? "" : " in the last " + since));
      }
    }
    out.flush();
    return 0;
  }

  /** A duration such as {@code 90s}, {@code 5m}, {@code 2h} or ISO-8601 {@code PT5M}. */
  static Duration duration(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw WebinfraException.invalidInput(
          "--since: '" + s + "' is not a duration; use e.g. 90s, 5m, 2h or 1d");
    }
  }
}
