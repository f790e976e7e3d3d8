package dev.webinfra.dashboard;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.diagram.DotRenderer;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The design as {@code diagram} draws it, with each host's frame and each daemon's row coloured by
 * its state: the same picture an operator already knows, made live.
 */
public final class LiveDiagram {
  /** Fill colours by state; anything else (unknown, starting) is amber. */
  static final Map<String, String> FILL =
      Map.of("up", "#a5d6a7", "down", "#ef9a9a", "stopped", "#ef9a9a", "starting", "#fff59d");

  /**
   * Which row of a host's box shows a daemon: a word of the row's text, by daemon name, as each
   * unit of the registry declares it ({@link DaemonUnit#diagramLabel}).
   */
  static final Map<String, String> ROW =
      Units.ALL.stream()
          .filter(u -> u.diagramLabel().isPresent())
          .collect(Collectors.toUnmodifiableMap(DaemonUnit::name, u -> u.diagramLabel().get()));

  private LiveDiagram() {}

  /** The DOT source of {@code t} coloured by {@code status}. Pure. */
  public static String dot(Topology t, DashboardStatus status) {
    String[] lines = DotRenderer.render(t).split("\n", -1);
    for (DashboardStatus.HostState h : status.hosts()) {
      String head = "    \"" + h.name() + "\" [label=<";
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].startsWith(head)) {
          lines[i] = colour(lines[i], h);
        }
      }
    }
    return String.join("\n", lines);
  }

  private static String colour(String line, DashboardStatus.HostState h) {
    String out =
        line.replaceFirst(
            "BORDER=\"1\"(.*?)COLOR=\"#555555\"",
            "BORDER=\"3\"$1COLOR=\"" + stroke(h.state()) + "\"");
    for (Map.Entry<String, String> d : h.daemons().entrySet()) {
      String word = ROW.get(d.getKey());
      if (word == null) {
        continue;
      }
      int at = out.indexOf(word);
      int td = at < 0 ? -1 : out.lastIndexOf("<TD ALIGN=\"LEFT\">", at);
      if (td >= 0) {
        out =
            out.substring(0, td)
                + "<TD ALIGN=\"LEFT\" BGCOLOR=\""
                + FILL.getOrDefault(d.getValue(), "#fff59d")
                + "\">"
                + out.substring(td + "<TD ALIGN=\"LEFT\">".length());
      }
    }
    return out;
  }

  private static String stroke(String state) {
    return switch (state) {
      case "up" -> "#2e7d32";
      case "down", "stopped" -> "#c62828";
      default -> "#f9a825";
    };
  }

  /** The coloured design as SVG, drawn by Graphviz's {@code dot}. */
  public static String svg(Topology t, DashboardStatus status) {
    String source = dot(t, status);
    try {
      Process p = new ProcessBuilder("dot", "-Tsvg").redirectErrorStream(false).start();
      // dot reads all its input before it writes, so writing first cannot deadlock.
      try (var in = p.getOutputStream()) {
        in.write(source.getBytes(StandardCharsets.UTF_8));
      }
      String svg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw WebinfraException.unexpectedState("dashboard: Graphviz's dot failed: " + err.strip());
      }
      return svg;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "dashboard: cannot run Graphviz's dot (Debian package graphviz): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("dashboard: interrupted while drawing", e);
    }
  }
}
