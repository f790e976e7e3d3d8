package dev.webinfra.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.webinfra.WebinfraException;
import dev.webinfra.status.ComponentStatus;
import dev.webinfra.status.HostStatus;
import dev.webinfra.status.LabStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status [--json]}: every host and component of the lab, and where the site is. */
@Command(
    name = "status",
    description = "Show every host and component of the lab; exit 3 when something is not running.")
public final class StatusCommand implements Callable<Integer> {
  @Mixin LabOption lab;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    LabStatus s = lab.open("status", spec.commandLine().getOut()).status();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
    } else {
      out.printf("lab %s: site %s -> %s%n", s.lab(), s.site().url(), s.site().address());
      for (HostStatus h : s.hosts()) {
        String fw =
            h.firewall().enabled()
                ? "  firewall dropped="
                    + (h.firewall().dropped_packets() == null
                        ? "?"
                        : h.firewall().dropped_packets())
                : "";
        out.printf(
            "  %-8s %-5s %-14s %-26s %s%s%n",
            h.name(),
            h.up() ? "up" : "DOWN",
            String.join(",", h.roles()),
            String.join(" ", h.addresses().values()),
            h.components().stream().map(StatusCommand::describe).collect(Collectors.joining("  ")),
            fw);
      }
      if (s.vip() != null) {
        out.printf(
            "  floating IP %s held by %s%n",
            s.vip().address(),
            s.vip().holders().isEmpty() ? "nobody" : String.join(", ", s.vip().holders()));
      }
      if (s.database() != null) {
        out.printf(
            "  database %s: primaries %s; replicas %s%n",
            s.database().topology(),
            String.join(", ", s.database().primaries()),
            s.database().replicas().stream()
                .map(StatusCommand::replica)
                .collect(Collectors.joining(", ")));
        for (String w : s.database().waiting()) {
          out.printf("  waiting: %s%n", w);
        }
        if (s.database().last_failover() != null) {
          LabStatus.LastFailover f = s.database().last_failover();
          out.printf(
              "  last failover: %s -> %s at %s, took %d ms%n",
              f.from(), f.to(), f.at(), f.took_ms());
        }
      }
      if (s.alerts() != null) {
        out.printf(
            "  alerts firing: %s%n",
            s.alerts().isEmpty()
                ? "none"
                : s.alerts().stream()
                    .map(
                        a ->
                            a.name()
                                + (a.instance() == null ? "" : " " + a.instance())
                                + " ("
                                + a.severity()
                                + ": "
                                + a.summary()
                                + ")")
                    .collect(Collectors.joining("; ")));
      }
      if (s.incidents() != null) {
        incidents(out, s.incidents());
      }
      if (s.dashboard() != null) {
        out.printf(
            "  dashboard %s (webinfra dashboard: the URL with its token)%n", s.dashboard().url());
      }
    }
    out.flush();
    return s.healthy() ? 0 : WebinfraException.UNEXPECTED_STATE;
  }

  // One line per incident (an Alertmanager group), open ones first; none open says so.
  private static void incidents(PrintWriter out, java.util.List<LabStatus.Incident> all) {
    java.util.List<LabStatus.Incident> open =
        all.stream().filter(i -> i.resolved() == null).toList();
    if (open.isEmpty()) {
      out.printf("  incidents open: none%n");
    }
    for (LabStatus.Incident i : open) {
      out.printf(
          "  incident open: %s (%d alert%s, since %s)%n",
          i.title(), i.alerts(), i.alerts() == 1 ? "" : "s", i.since());
    }
    for (LabStatus.Incident i : all) {
      if (i.resolved() != null) {
        out.printf("  incident resolved: %s (%s to %s)%n", i.title(), i.since(), i.resolved());
      }
    }
  }

  // What the replica itself reports: its source and threads, or why that is unknown.
  private static String replica(LabStatus.ReplicaStatus r) {
    if (r.state() != null && r.state().startsWith("unknown")) {
      return r.host() + " (" + r.state() + ")";
    }
    return r.host()
        + (r.source() == null ? " (no source" : " <- " + r.source() + " (")
        + (r.io_thread() == null
            ? ""
            : (r.source() == null ? ", " : "")
                + "IO "
                + r.io_thread()
                + ", SQL "
                + r.sql_thread()
                + ", ")
        + "lag "
        + (r.lag_seconds() == null ? "?" : r.lag_seconds() + " s")
        + ", received "
        + r.received_gtid()
        + ", applied "
        + r.applied_gtid()
        + (r.state() != null && r.state().startsWith("not following") ? "; " + r.state() : "")
        + ")";
  }

  private static String describe(ComponentStatus c) {
    return c.name() + "=" + c.state() + (c.version() == null ? "" : " (" + c.version() + ")");
  }
}
