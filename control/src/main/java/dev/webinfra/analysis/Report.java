package dev.webinfra.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.webinfra.topology.Problem;
import dev.webinfra.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The design check's findings as a readable table, or as JSON. Pure: the same findings give the
 * same text.
 */
public final class Report {
  private Report() {}

  /** What the app tier runs ({@code Java guestbook}, {@code jar}, {@code gunicorn}), if any. */
  static java.util.Optional<String> appKind(Topology t) {
    return t.hostsWith(dev.webinfra.topology.Role.APP).isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(t.app().kind());
  }

  /** One block per finding: severity, id and title, then hosts, why and fix. */
  public static String table(Topology t, List<Finding> findings) {
    StringBuilder sb = new StringBuilder();
    sb.append("design check of ")
        .append(t.source())
        .append(" (lab ")
        .append(t.lab())
        .append(appKind(t).map(k -> ", app: " + k).orElse(""))
        .append("): ")
        .append(summary(findings))
        .append("\n");
    for (Finding f : findings) {
      sb.append("\n")
          .append(
              String.format(
                  "%-6s %-28s %s%n",
                  f.severity().label().toUpperCase(java.util.Locale.ROOT), f.id(), f.title()));
      if (!f.hosts().isEmpty()) {
        sb.append("       hosts: ").append(String.join(", ", f.hosts())).append("\n");
      }
      sb.append("       why:   ").append(f.why()).append("\n");
      sb.append("       fix:   ").append(f.fix()).append("\n");
    }
    return sb.toString();
  }

  /**
   * {@code check --explain ID}: each finding with that id, its path, why it matters and the fix.
   */
  public static String explain(List<Finding> findings) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      sb.append(sb.isEmpty() ? "" : "\n")
          .append(f.id())
          .append(" (")
          .append(f.severity().label())
          .append("): ")
          .append(f.title())
          .append("\n");
      if (!f.hosts().isEmpty()) {
        sb.append("  hosts:           ").append(String.join(", ", f.hosts())).append("\n");
      }
      if (!f.path().isEmpty()) {
        sb.append("  path:            ").append(f.path()).append("\n");
      }
      sb.append("  why it matters:  ").append(f.why()).append("\n");
      sb.append("  fix:             ").append(f.fix()).append("\n");
    }
    return sb.toString();
  }

  /** {@code 2 high, 1 medium, ...} (only the severities present). */
  public static String summary(List<Finding> findings) {
    if (findings.isEmpty()) {
      return "no findings";
    }
    StringBuilder sb = new StringBuilder();
    for (Severity s : Severity.values()) {
      long n = findings.stream().filter(f -> f.severity() == s).count();
      if (n > 0) {
        sb.append(sb.isEmpty() ? "" : ", ").append(n).append(" ").append(s.label());
      }
    }
    return sb.toString();
  }

  /**
   * Invalid input as JSON: {@code {"errors": [{"file", "line", "column", "field", "message"}]}};
   * line and column are null when the problem concerns the whole file.
   */
  public static String errorsJson(List<Problem> problems) {
    return write(
        Map.of(
            "errors",
            problems.stream()
                .map(
                    p -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("file", p.file());
                      m.put("line", p.line() == 0 ? null : p.line());
                      m.put("column", p.line() == 0 ? null : p.column());
                      m.put("field", p.field().isEmpty() ? null : p.field());
                      m.put("message", p.message());
                      return m;
                    })
                .toList()),
        "errors");
  }

  /**
   * JSON: {@code {"topology", "lab", "findings": [{"id", "severity", "hosts", "title", "why",
   * "fix"}]}}.
   */
  public static String json(Topology t, List<Finding> findings) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("topology", t.source());
    root.put("lab", t.lab());
    appKind(t).ifPresent(k -> root.put("app", k));
    root.put(
        "findings",
        findings.stream()
            .map(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("id", f.id());
                  m.put("severity", f.severity().label());
                  m.put("hosts", f.hosts());
                  m.put("title", f.title());
                  m.put("why", f.why());
                  m.put("fix", f.fix());
                  if (!f.path().isEmpty()) {
                    m.put("path", f.path());
                  }
                  return m;
                })
            .toList());
    return write(root, "findings of " + t.source());
  }

  private static String write(Object root, String what) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(what + " cannot be written as JSON", e);
    }
  }
}
